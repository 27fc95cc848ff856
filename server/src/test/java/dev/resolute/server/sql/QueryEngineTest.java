package dev.resolute.server.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                + "\"journal_retention\":\"PT86400S\","
                + "\"pinned_deployment_id\":\""
                + f.deployment
                + "\",\"completion_result\":\"success\"}]}");
  }

  @Test
  void aPlannedQueryAnswersForEachValueItIsGivenAgain() throws Exception {
    // the same text with other literals reuses one plan: each answer is its own value's
    for (int round = 0; round < 3; round++) {
      for (var id : List.of(f.completed, f.failed, f.running, f.suspended)) {
        assertThat(rows("SELECT id FROM sys_invocation WHERE id = '" + id + "'"))
            .as("round %d, %s", round, id)
            .containsExactly(Map.of("id", id.toString()));
      }
      assertThat(rows("SELECT id FROM sys_invocation WHERE id = 'inv_1nothing'")).isEmpty();
      assertThat(
              rows(
                  "SELECT count(*) AS n FROM sys_invocation WHERE target_service_name IN ('Greeter',"
                      + " 'nobody')"))
          .containsExactly(Map.of("n", 3L));
    }
  }

  @Test
  void statusAloneCountsAsTheFullRowsDo() throws Exception {
    // GROUP BY status reads only each status's phase; the same counts as rows built whole
    for (String table : List.of("sys_invocation", "sys_invocation_status")) {
      List<Map<String, Object>> alone =
          rows("SELECT status, count(*) AS n FROM " + table + " GROUP BY status ORDER BY status");
      List<Map<String, Object>> whole =
          rows(
              "SELECT status, count(*) AS n FROM (SELECT status, target, created_at FROM "
                  + table
                  + ") GROUP BY status ORDER BY status");
      assertThat(alone).as(table).isEqualTo(whole).isNotEmpty();
    }
    for (var st : dev.resolute.server.pb.InvocationStatus.Phase.values()) {
      if (st == dev.resolute.server.pb.InvocationStatus.Phase.UNRECOGNIZED) {
        continue;
      }
      byte[] stored =
          dev.resolute.server.pb.InvocationStatus.newBuilder()
              .setPhase(st)
              .setCreatedAt(7)
              .setInput(com.google.protobuf.ByteString.copyFromUtf8("in"))
              .build()
              .toByteArray();
      assertThat(InvocationTables.phase(stored)).isEqualTo(st);
    }
  }

  @Test
  void anUnaliasedCountStarIsNamedAsRestateNamesIt() throws Exception {
    QueryResult r =
        f.engine.run(
            "SELECT status, count(*) FROM sys_invocation GROUP BY status HAVING count(*) > 0"
                + " ORDER BY count(*) DESC");
    assertThat(r.columns().stream().map(QueryResult.OutColumn::name))
        .containsExactly("status", "count(*)");
    assertThat(f.engine.run("SELECT COUNT( * ), count(*) AS n FROM sys_invocation").columns())
        .extracting(QueryResult.OutColumn::name)
        .containsExactly("count(*)", "n");
    assertThat(SqlRewriter.countStarNamed("select count(*) + 1 from t"))
        .isEqualTo("select count(*) + 1 from t");
  }

  @Test
  void eachColumnAloneIsTheColumnOfTheWholeRow() throws Exception {
    // projections pushed into the scans compute only what is read: the same values as full rows
    for (String table :
        List.of("sys_invocation", "sys_invocation_status", "sys_invocation_state")) {
      List<Map<String, Object>> whole = rows("SELECT * FROM " + table + " ORDER BY id");
      for (String column : whole.get(0).keySet()) {
        if (column.equals("id")) {
          continue;
        }
        List<Map<String, Object>> alone =
            rows("SELECT id, " + column + " AS c FROM " + table + " ORDER BY id");
        for (int i = 0; i < whole.size(); i++) {
          assertThat(alone.get(i).get("c"))
              .as("%s.%s of %s", table, column, whole.get(i).get("id"))
              .isEqualTo(whole.get(i).get(column));
        }
      }
    }
  }

  @Test
  void listOfIntegersColumn() throws Exception {
    // Calcite answers an INTEGER ARRAY as an int[]; reading it as Object[] failed every
    // SELECT * FROM sys_invocation that had a suspended invocation
    assertThat(
            json(
                "select suspended_waiting_for_completions, suspended_waiting_for_signals"
                    + " from sys_invocation where id = '"
                    + f.suspended
                    + "'"))
        .isEqualTo(
            "{\"rows\":[{\"suspended_waiting_for_completions\":[2],"
                + "\"suspended_waiting_for_signals\":[]}]}");
    assertThat(
            json(
                "select suspended_waiting_future_json from sys_invocation where id = '"
                    + f.suspended
                    + "'"))
        .isEqualTo(
            "{\"rows\":[{\"suspended_waiting_future_json\":"
                + "\"{\\\"Unknown\\\":[{\\\"Single\\\":{\\\"CompletionId\\\":2}}]}\"}]}");
    assertThat(json("select * from sys_invocation")).startsWith("{\"rows\":[{");
  }

  @Test
  void everyQueryOfTheCliRuns() throws Exception {
    for (String q : CliQueries.ALL) {
      assertThat(json(q)).as(q).startsWith("{\"rows\":[");
    }
  }

  @Test
  void countOverLimitedSubqueryOfEveryColumn() throws Exception {
    // the CLI's count of invocations; an empty projection pushed into the scan broke it
    assertThat(json("SELECT COUNT(1) FROM (SELECT * FROM sys_invocation inv LIMIT 50000)"))
        .isEqualTo("{\"rows\":[{\"EXPR$0\":6}]}");
  }

  @Test
  void theOuterQueryMayUseTheAliasOfItsDerivedTablesOwnFrom() throws Exception {
    // restate invocations list --service Counter --all: DataFusion resolves inv. outside the
    // parentheses
    assertThat(
            json(
                "SELECT COUNT(1) FROM (SELECT\n *\n FROM sys_invocation inv\n LIMIT 50000\n )\n"
                    + " WHERE inv.target_service_name IN ('Counter')"))
        .startsWith("{\"rows\":[{\"EXPR$0\":");
  }

  @Test
  void aCancelledQueryStopsAtItsNextRow() throws Exception {
    // a cross join far too large to finish (6^10 rows) before the 60 s time limit
    StringBuilder sql = new StringBuilder("select count(*) from sys_invocation t0");
    for (int i = 1; i < 10; i++) {
      sql.append(", sys_invocation t").append(i);
    }
    QueryEngine.Cancel cancel = new QueryEngine.Cancel();
    java.util.concurrent.CompletableFuture<Object> run =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return f.engine.run(sql.toString(), cancel);
              } catch (QueryException e) {
                return e;
              }
            });
    Thread.sleep(500); // a window in which the query runs
    long t0 = System.nanoTime();
    cancel.cancel();
    // it ends well before the 60 s time limit (planning a 10-way join takes seconds on a busy
    // machine; the cancel flag is checked once rows flow)
    Object out = run.get(40, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(out).isInstanceOf(QueryException.class);
    assertThat(System.nanoTime() - t0).isLessThan(30_000_000_000L);
  }

  @Test
  void idFilterIsAPointRead() throws Exception {
    f.scans.clear();
    assertThat(rows("select status from sys_invocation where id = '" + f.running + "'"))
        .containsExactly(Map.of("status", "backing-off"));
    assertThat(f.scans).isEmpty();
    assertThat(f.gets.get()).isEqualTo(1);
  }

  @Test
  void keyFilterIsAPrefixScanOfOnePartition() throws Exception {
    f.scans.clear();
    assertThat(
            json(
                "select key, value_utf8, value, partition_key from state"
                    + " where service_name = 'Counter' and service_key = 'k1' order by key"))
        .isEqualTo(
            "{\"rows\":[{\"key\":\"bin\",\"value\":\"ff00\",\"partition_key\":"
                + Long.toUnsignedString(dev.resolute.protocol.id.PartitionKeys.keyed("k1"))
                + "},{\"key\":\"count\",\"value_utf8\":\"5\",\"value\":\"35\",\"partition_key\":"
                + Long.toUnsignedString(dev.resolute.protocol.id.PartitionKeys.keyed("k1"))
                + "}]}");
    assertThat(f.scans).hasSize(1);
    assertThat(f.scans.get(0).length).isGreaterThan(dev.resolute.server.storage.Keys.HEADER + 8);
  }

  @Test
  void callerPhasesAndFailure() throws Exception {
    assertThat(
            json(
                "select invoked_by, invoked_by_id, invoked_by_target, scheduled_start_at"
                    + " from sys_invocation where id = '"
                    + f.child
                    + "'"))
        .contains("\"invoked_by\":\"service\"", "\"invoked_by_id\":\"" + f.completed + "\"")
        .contains("\"invoked_by_target\":\"Greeter/greet\"", "\"scheduled_start_at\"");
    assertThat(
            json(
                "select retry_count, next_retry_at, last_failure, last_failure_error_code,"
                    + " last_attempt_server from sys_invocation where status = 'backing-off'"))
        .isEqualTo(
            "{\"rows\":[{\"retry_count\":3,\"next_retry_at\":\"2026-05-28T20:26:41.000Z\","
                + "\"last_failure\":\"[500] oops\",\"last_failure_error_code\":\"RT0007\","
                + "\"last_attempt_server\":\"restate-sdk-java/2.4.0\"}]}");
  }

  /** As restate-server shows a protocol v4+ failure: the command columns, not the entry ones. */
  @Test
  void relatedCommandOfTheLastFailure() throws Exception {
    assertThat(
            json(
                "select last_failure_related_command_index, last_failure_related_command_name,"
                    + " last_failure_related_command_type, last_failure_related_entry_index,"
                    + " last_failure_related_entry_name, last_failure_related_entry_type"
                    + " from sys_invocation where id = '"
                    + f.running
                    + "'"))
        .isEqualTo(
            "{\"rows\":[{\"last_failure_related_command_index\":1,"
                + "\"last_failure_related_command_name\":\"publish\","
                + "\"last_failure_related_command_type\":\"Run\"}]}");
  }

  @Test
  void joinsGroupByAndDataFusionSpellings() throws Exception {
    assertThat(
            rows(
                "select count(*) as n from sys_invocation i join sys_keyed_service_status k"
                    + " on i.id = k.invocation_id where i.created_at <= now() - interval '1 hour'"
                    + " and to_timestamp(i.modified_at) < now() and i.status == 'backing-off'"))
        .containsExactly(Map.of("n", 1L));
    assertThat(
            rows(
                "select status, count(*) as c from sys_invocation group by status order by status"))
        .hasSize(5);
  }

  @Test
  void sysScheduleListsTheSchedulesOfEveryPartition() throws Exception {
    try (dev.resolute.server.storage.Store.Batch b = f.store.begin()) {
      for (String id : List.of("nightly", "every-second")) {
        int p = f.partitioning.partitionOf(dev.resolute.protocol.id.PartitionKeys.keyed(id));
        dev.resolute.server.pb.Schedule.Builder s =
            dev.resolute.server.pb.Schedule.newBuilder()
                .setId(id)
                .setCron(id.equals("nightly") ? "0 3 * * *" : "* * * * * *")
                .setTimezone("Europe/Paris")
                .setTarget(id.equals("nightly") ? SqlFixture.ADD : SqlFixture.GREET)
                .setCatchUp(dev.resolute.server.pb.Schedule.CatchUp.ALL)
                .setCreatedAt(SqlFixture.T0)
                .setNextFire(SqlFixture.T0 + 1000)
                .setFired(id.equals("nightly") ? 0 : 3);
        if (!id.equals("nightly")) {
          s.setLastFire(SqlFixture.T0);
        }
        b.put(
            dev.resolute.server.storage.Keys.of(p, dev.resolute.server.storage.Keys.SCHEDULE)
                .str(id)
                .build(),
            s.build().toByteArray());
      }
      b.commit();
    }
    assertThat(
            json(
                "select id, cron, timezone, target, catch_up, next_fire, last_fire, fired"
                    + " from sys_schedule order by id"))
        .isEqualTo(
            "{\"rows\":[{\"id\":\"every-second\",\"cron\":\"* * * * * *\","
                + "\"timezone\":\"Europe/Paris\",\"target\":\"Greeter/greet\",\"catch_up\":\"all\","
                + "\"next_fire\":\"2026-05-28T20:26:41.000Z\","
                + "\"last_fire\":\"2026-05-28T20:26:40.000Z\",\"fired\":3},"
                + "{\"id\":\"nightly\",\"cron\":\"0 3 * * *\",\"timezone\":\"Europe/Paris\","
                + "\"target\":\"Counter/add/k1\",\"catch_up\":\"all\","
                + "\"next_fire\":\"2026-05-28T20:26:41.000Z\",\"fired\":0}]}");
    assertThat(rows("select target_service_key from sys_schedule where id = 'nightly'"))
        .containsExactly(Map.of("target_service_key", "k1"));
  }

  @Test
  void badSqlIsA400WithTheReason() {
    assertThatThrownBy(() -> f.engine.run("selec 1"))
        .isInstanceOf(QueryException.class)
        .hasMessageStartingWith("SQL error:")
        .satisfies(e -> assertThat(((QueryException) e).status()).isEqualTo(400));
    assertThatThrownBy(() -> f.engine.run("select * from nope"))
        .hasMessageContaining("nope")
        .satisfies(e -> assertThat(((QueryException) e).status()).isEqualTo(400));
    assertThatThrownBy(() -> f.engine.run("select nope from sys_invocation"))
        .hasMessageContaining("nope")
        .satisfies(e -> assertThat(((QueryException) e).status()).isEqualTo(400));
  }

  @Test
  void arrowStreamHasSchemaBatchAndEnd() throws Exception {
    byte[] b = ArrowStream.write(f.engine.run("select id, created_at from sys_invocation"));
    assertThat(b).startsWith((byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff);
    assertThat(java.util.Arrays.copyOfRange(b, b.length - 8, b.length))
        .containsExactly(-1, -1, -1, -1, 0, 0, 0, 0);
  }

  @Test
  void rewriter() {
    SqlRewriter r = new SqlRewriter(java.util.Set.of("value"));
    assertThat(r.rewrite("select value, 'value' from t where a == 1 and b = now();"))
        .isEqualTo("select \"value\", 'value' from t where a = 1 and b = CURRENT_TIMESTAMP");
    assertThat(r.rewrite("select FIRST_VALUE(id ORDER BY created_at ASC) from t"))
        .isEqualTo("select ARG_MIN(id, created_at) from t");
    assertThat(r.rewrite("select first_value(id) from t")).isEqualTo("select ANY_VALUE(id) from t");
    assertThat(r.rewrite("x > now() - interval '2 hours'"))
        .isEqualTo("x > CURRENT_TIMESTAMP - INTERVAL '2' HOUR");
    assertThat(r.rewrite("select 1 from (select * from t a limit 5) where a.x = 1"))
        .isEqualTo("select 1 from (select * from t a limit 5) a where a.x = 1");
    assertThat(r.rewrite("select 1 from (select * from t a) b where b.x = 1"))
        .isEqualTo("select 1 from (select * from t a) b where b.x = 1");
    assertThat(r.rewrite("select 1 from t where id in (select id from u a)"))
        .isEqualTo("select 1 from t where id in (select id from u a)");
  }
}
