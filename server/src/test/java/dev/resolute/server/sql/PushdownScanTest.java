package dev.resolute.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.protocol.pb.RunCommandMessage;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.Target;
import dev.resolute.server.storage.Keys;
import dev.resolute.server.storage.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Filters on {@code id}, {@code partition_key}, {@code target_service_key} and {@code
 * service_name}/{@code service_key} are pushed down to point reads and prefix scans: over a store
 * of a few thousand invocations (each with a journal) and keyed state rows, the number of entries
 * the scans hand to the tables (counted by the fixture's reader) stays bounded by what matches,
 * while the same query without the filter reads the whole table. A filter on {@code
 * target_service_name} reads every status but builds rows only for that service's invocations.
 */
class PushdownScanTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int KEYS = 200;
  private static final int PER_KEY = 5;
  private static final int UNKEYED = 1000;
  private static final int JOURNAL = 3;

  private SqlFixture f;
  private int totalStatuses;
  private InvocationId someUnkeyed;

  @BeforeEach
  void fill() {
    f = new SqlFixture();
    try (Store.Batch b = f.store.begin()) {
      int n = 0;
      for (int k = 0; k < KEYS; k++) {
        String key = "key-" + k;
        for (int i = 0; i < PER_KEY; i++) {
          InvocationId id = new InvocationId(PartitionKeys.keyed(key), uuid(++n));
          put(b, id, target("Counter", "add", key));
          b.put(
              Keys.of(partition(id), Keys.STATE)
                  .str("Counter")
                  .str(key)
                  .lenBytes(("s" + i).getBytes(StandardCharsets.UTF_8))
                  .build(),
              "1".getBytes(StandardCharsets.UTF_8));
        }
      }
      for (int i = 0; i < UNKEYED; i++) {
        InvocationId id = new InvocationId(PartitionKeys.bucket("Greeter", i % 512), uuid(++n));
        put(b, id, target("Greeter", "greet", ""));
        someUnkeyed = id;
      }
      b.commit();
      totalStatuses = n;
    }
  }

  @Test
  void theCounterSeesAFullScan() throws Exception {
    JsonNode rows = rows("select count(*) as c from sys_invocation");
    // the fixture's own six invocations beside the ones added here
    assertThat(rows.get(0).get("c").asLong()).isEqualTo(totalStatuses + 6L);
    assertThat(f.visited.get()).isGreaterThanOrEqualTo(totalStatuses);
  }

  @Test
  void idIsOnePointRead() throws Exception {
    JsonNode rows = rows("select id, status from sys_invocation where id = '" + someUnkeyed + "'");
    assertThat(rows).hasSize(1);
    assertThat(f.gets.get()).isEqualTo(1);
    assertThat(f.visited.get()).isZero();
  }

  @Test
  void targetServiceKeyIsAPrefixScanOfItsInvocations() throws Exception {
    JsonNode rows =
        rows("select id, target from sys_invocation where target_service_key = 'key-17'");
    assertThat(rows).hasSize(PER_KEY);
    assertThat(rows.get(0).get("target").asText()).isEqualTo("Counter/key-17/add");
    assertThat(f.scans).hasSize(1);
    assertThat(f.visited.get()).isEqualTo(PER_KEY);
  }

  @Test
  void partitionKeyIsAPrefixScanOfItsInvocations() throws Exception {
    long pk = PartitionKeys.keyed("key-42");
    JsonNode rows = rows("select id from sys_invocation_status where partition_key = " + pk);
    assertThat(rows).hasSize(PER_KEY);
    assertThat(f.visited.get()).isEqualTo(PER_KEY);
  }

  @Test
  void journalOfOneInvocationIsAPrefixScan() throws Exception {
    JsonNode rows =
        rows("select index, entry_type from sys_journal where id = '" + someUnkeyed + "'");
    assertThat(rows).hasSize(JOURNAL);
    assertThat(f.visited.get()).isEqualTo(JOURNAL);
  }

  @Test
  void stateOfOneKeyIsAPrefixScan() throws Exception {
    JsonNode rows =
        rows("select key from state where service_name = 'Counter' and service_key = 'key-99'");
    assertThat(rows).hasSize(PER_KEY);
    assertThat(f.visited.get()).isEqualTo(PER_KEY);
    f.visited.set(0);
    // the key alone: the partition of that key only, a small part of the table
    rows("select key from state where service_key = 'key-99'");
    assertThat(f.visited.get()).isLessThan(KEYS * PER_KEY / 2);
  }

  @Test
  void targetServiceNameBuildsRowsOnlyForThatService() throws Exception {
    // the fixture's running and inboxed calls to Counter beside the ones added here
    int counter = KEYS * PER_KEY + 2;
    JsonNode rows = rows("select id from sys_invocation where target_service_name = 'Counter'");
    assertThat(rows).hasSize(counter);
    // no index by service: every status is read, but only Counter's become rows
    assertThat(f.visited.get()).isGreaterThanOrEqualTo(totalStatuses);
    assertThat(scanned(InvocationTables.view(), "target_service_name", "Counter"))
        .isEqualTo(counter);
    assertThat(scanned(InvocationTables.status(), "target_service_name", "Greeter"))
        .isEqualTo(UNKEYED + 3);
    assertThat(scanned(InvocationTables.view(), "target_service_name", "Nobody")).isZero();
  }

  @Test
  void targetServiceNameAndKeyIsAPrefixScanOfThatObjectsInvocations() throws Exception {
    JsonNode rows =
        rows(
            "select id from sys_invocation where target_service_name = 'Counter'"
                + " and target_service_key = 'key-17'");
    assertThat(rows).hasSize(PER_KEY);
    assertThat(f.visited.get()).isEqualTo(PER_KEY);
    assertThat(
            scanned(
                InvocationTables.view(),
                "target_service_name",
                "Counter",
                "target_service_key",
                "key-17"))
        .isEqualTo(PER_KEY);
    // the same key of another service: the same prefix, none of its statuses
    assertThat(
            scanned(
                InvocationTables.view(),
                "target_service_name",
                "Signup",
                "target_service_key",
                "key-17"))
        .isZero();
  }

  @Test
  void theTargetIsReadFromAStoredStatusAlone() {
    InvocationStatus st =
        InvocationStatus.newBuilder()
            .setPhase(InvocationStatus.Phase.INVOKED)
            .setTarget(target("Counter", "add", "key-1"))
            .setInput(com.google.protobuf.ByteString.copyFrom(new byte[4096]))
            .setLastFailure("[500] oops")
            .addJournalEvents(dev.resolute.server.pb.JournalEvent.getDefaultInstance())
            .setLimitKey("lk")
            .build();
    assertThat(InvocationTables.target(st.toByteArray())).isEqualTo(st.getTarget());
    assertThat(InvocationTables.target(new byte[0])).isEqualTo(Target.getDefaultInstance());
  }

  /**
   * The rows {@code table}'s scan hands to the engine under the equalities {@code column, value, …}
   * pushed down (the engine filters them again; here they are counted before that).
   */
  private int scanned(SysTable table, String... columnValues) {
    RexBuilder rb = new RexBuilder(new JavaTypeFactoryImpl());
    RelDataType varchar = rb.getTypeFactory().createSqlType(SqlTypeName.VARCHAR);
    List<RexNode> conjuncts = new ArrayList<>();
    for (int i = 0; i < columnValues.length; i += 2) {
      int index = -1;
      for (int c = 0; c < table.columns.size(); c++) {
        if (table.columns.get(c).name().equals(columnValues[i])) {
          index = c;
        }
      }
      assertThat(index).as(columnValues[i]).isNotNegative();
      conjuncts.add(
          rb.makeCall(
              SqlStdOperatorTable.EQUALS,
              rb.makeInputRef(varchar, index),
              rb.makeLiteral(columnValues[i + 1])));
    }
    AtomicInteger n = new AtomicInteger();
    try (QueryContext cx = new QueryContext(f.store::reader, f.partitioning, f.registry, "0.1.0")) {
      table.scan(cx, Pushdown.of(conjuncts, table.columns), row -> n.incrementAndGet());
    }
    return n.get();
  }

  private JsonNode rows(String sql) throws Exception {
    f.scans.clear();
    f.gets.set(0);
    f.visited.set(0);
    return JSON.readTree(JsonRows.write(f.engine.run(sql))).get("rows");
  }

  private void put(Store.Batch b, InvocationId id, Target t) {
    int p = partition(id);
    b.put(
        Keys.of(p, Keys.STATUS).bytes(id.toBytes()).build(),
        InvocationStatus.newBuilder()
            .setTarget(t)
            .setPhase(InvocationStatus.Phase.COMPLETED)
            .setCreatedAt(SqlFixture.T0)
            .setModifiedAt(SqlFixture.T0)
            .setCompletedAt(SqlFixture.T0)
            .setJournalLength(JOURNAL)
            .build()
            .toByteArray());
    for (int i = 0; i < JOURNAL; i++) {
      b.put(
          Keys.of(p, Keys.JOURNAL).bytes(id.toBytes()).u32(i).build(),
          JournalEntry.newBuilder()
              .setType(MessageType.RUN_COMMAND.code())
              .setPayload(
                  RunCommandMessage.newBuilder().setResultCompletionId(i).build().toByteString())
              .build()
              .toByteArray());
    }
  }

  private int partition(InvocationId id) {
    return f.partitioning.partitionOf(id.partitionKey());
  }

  private static Target target(String service, String handler, String key) {
    Target.Builder t = Target.newBuilder().setService(service).setHandler(handler);
    if (!key.isEmpty()) {
      t.setKey(key).setKeyed(true).setKind(Target.Kind.EXCLUSIVE);
    }
    return t.build();
  }

  private static byte[] uuid(int n) {
    byte[] u = new byte[16];
    u[0] = 1; // apart from the fixture's ids
    u[12] = (byte) (n >>> 24);
    u[13] = (byte) (n >>> 16);
    u[14] = (byte) (n >>> 8);
    u[15] = (byte) n;
    return u;
  }
}
