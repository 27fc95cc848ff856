package dev.resolute.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.server.limits.Admission;
import dev.resolute.server.limits.LimitTables;
import dev.resolute.server.limits.Limits;
import dev.resolute.server.limits.RuleBook;
import dev.resolute.server.limits.RulePattern;
import dev.resolute.server.storage.Store;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitSqlTablesTest {
  final SqlFixture f = new SqlFixture();

  String json(String sql) throws Exception {
    return new String(JsonRows.write(f.engine.run(sql)), StandardCharsets.UTF_8);
  }

  @Test
  void sysRulesAnswersTheCliQuery() throws Exception {
    RuleBook book =
        RuleBook.EMPTY
            .upsert(
                List.of(
                    new RuleBook.Upsert(
                        RulePattern.parse("scope1/*"),
                        new Limits(2, null, null),
                        "hi",
                        false,
                        new RuleBook.Precondition.None()),
                    new RuleBook.Upsert(
                        RulePattern.parse("a"),
                        new Limits(null, 2.5, null),
                        null,
                        true,
                        new RuleBook.Precondition.None())),
                SqlFixture.T0)
            .book();
    try (Store.Batch b = f.store.begin()) {
      new Admission(0).putBook(new LimitTables(0, b), book);
      b.commit();
    }
    // what `restate rules list` sends
    assertThat(
            json(
                "SELECT pattern, concurrency, description, disabled, version, last_modified FROM"
                    + " sys_rules ORDER BY pattern"))
        .isEqualTo(
            "{\"rows\":[{\"pattern\":\"a\",\"disabled\":true,\"version\":1,"
                + "\"last_modified\":\"2026-05-28T20:26:40.000Z\"},"
                + "{\"pattern\":\"scope1/*\",\"concurrency\":2,\"description\":\"hi\","
                + "\"disabled\":false,\"version\":1,"
                + "\"last_modified\":\"2026-05-28T20:26:40.000Z\"}]}");
    assertThat(json("SELECT rate_per_second, burst FROM sys_rules WHERE pattern = 'a'"))
        .isEqualTo("{\"rows\":[{\"rate_per_second\":2.5,\"burst\":3}]}");
  }

  @Test
  void sysLimitQueueListsTheWaitingInvocations() throws Exception {
    InvocationId id = new InvocationId(PartitionKeys.keyed("s1"), new byte[16]);
    int p = f.partitioning.partitionOf(id.partitionKey());
    try (Store.Batch b = f.store.begin()) {
      Admission a = new Admission(p);
      a.enqueue(a.tables(b), id.toBytes(), "s1", "k", SqlFixture.T0);
      b.commit();
    }
    assertThat(
            json(
                "SELECT id, scope, limit_key, limit_group, sequence_number, queued_at FROM"
                    + " sys_limit_queue WHERE scope = 's1'"))
        .isEqualTo(
            "{\"rows\":[{\"id\":\""
                + id
                + "\",\"scope\":\"s1\",\"limit_key\":\"k\",\"limit_group\":\"s1/k\","
                + "\"sequence_number\":1,\"queued_at\":\"2026-05-28T20:26:40.000Z\"}]}");
  }
}
