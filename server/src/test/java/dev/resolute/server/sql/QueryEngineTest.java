package dev.resolute.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueryEngineTest {
  final SqlFixture f = new SqlFixture();

  @AfterEach
  void readersClosed() {
    assertThat(f.openReaders.get()).as("readers left open").isZero();
  }

  List<Map<String, Object>> rows(String sql) throws Exception {
    QueryResult r = f.engine.run(sql);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object[] row : r.rows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < row.length; i++) {
        m.put(r.columns().get(i).name(), row[i]);
      }
      out.add(m);
    }
    return out;
  }

  String json(String sql) throws Exception {
    return new String(JsonRows.write(f.engine.run(sql)), StandardCharsets.UTF_8);
  }

  @Test
  void pointLookupById() throws Exception {
    String json =
        json(
            "select id, target, status, created_at, completion_retention, journal_retention,"
                + " pinned_deployment_id, completion_result from sys_invocation where id = '"
                + f.completed
                + "'");
    assertThat(json)
        .isEqualTo(
            "{\"rows\":[{\"id\":\""
                + f.completed
                + "\",\"target\":\"Greeter/greet\",\"status\":\"completed\","
                + "\"created_at\":\"2026-05-28T20:26:40.000Z\",\"completion_retention\":\"PT86400S\","
                + "\"pinned_deployment_id\":\"dp_1\",\"completion_result\":\"success\"}]}");
  }

  @Test
  void everyQueryOfTheCliRuns() throws Exception {
    for (String q : CliQueries.ALL) {
      System.out.println(q.replace('\n', ' ') + "\n  => " + json(q));
    }
  }
}
