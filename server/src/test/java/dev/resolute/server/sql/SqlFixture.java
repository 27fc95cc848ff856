package dev.resolute.server.sql;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.protocol.pb.InputCommandMessage;
import dev.resolute.protocol.pb.RunCommandMessage;
import dev.resolute.server.discovery.DiscoveredEndpoint;
import dev.resolute.server.discovery.DiscoveryClient;
import dev.resolute.server.partition.Partitioning;
import dev.resolute.server.pb.Failure;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.Outcome;
import dev.resolute.server.pb.Promise;
import dev.resolute.server.pb.Suspended;
import dev.resolute.server.pb.Target;
import dev.resolute.server.schema.SchemaException;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.storage.Keys;
import dev.resolute.server.storage.MemoryStore;
import dev.resolute.server.storage.Store;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A store with a few invocations, keyed state, a lock, an inbox entry and a promise. */
final class SqlFixture {
  static final long T0 = 1_780_000_000_000L;
  final Partitioning partitioning = new Partitioning(4);
  final MemoryStore store = new MemoryStore();
  final AtomicInteger openReaders = new AtomicInteger();
  final AtomicInteger gets = new AtomicInteger();

  /** Entries handed to the tables by every scan: what a query read. */
  final AtomicInteger visited = new AtomicInteger();

  final java.util.List<byte[]> scans = new java.util.concurrent.CopyOnWriteArrayList<>();
  final QueryEngine engine;

  final InvocationId completed = id("Greeter", 1, false);
  final InvocationId failed = id("Greeter", 2, false);
  final InvocationId running = id("k1", 3, true);
  final InvocationId inboxed = id("k1", 4, true);
  final InvocationId child = id("Greeter", 5, false);
  final InvocationId suspended = id("w1", 6, true);

  static final String MANIFEST =
      "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,\"maxProtocolVersion\":6,"
          + "\"services\":["
          + "{\"name\":\"Greeter\",\"ty\":\"SERVICE\",\"handlers\":[{\"name\":\"greet\"}]},"
          + "{\"name\":\"Counter\",\"ty\":\"VIRTUAL_OBJECT\",\"handlers\":[{\"name\":\"add\"}]},"
          + "{\"name\":\"Signup\",\"ty\":\"WORKFLOW\",\"handlers\":[{\"name\":\"run\","
          + "\"ty\":\"WORKFLOW\"}]}]}";

  static final Target GREET = Target.newBuilder().setService("Greeter").setHandler("greet").build();
  static final Target ADD =
      Target.newBuilder()
          .setService("Counter")
          .setHandler("add")
          .setKey("k1")
          .setKeyed(true)
          .setKind(Target.Kind.EXCLUSIVE)
          .build();
  static final Target RUN =
      Target.newBuilder()
          .setService("Signup")
          .setHandler("run")
          .setKey("w1")
          .setKeyed(true)
          .setKind(Target.Kind.WORKFLOW_RUN)
          .build();

  final SchemaRegistry registry = SchemaRegistry.inMemory();
  final String deployment;

  SqlFixture() {
    try {
      deployment =
          registry
              .register(
                  new DiscoveredEndpoint(
                      "http://127.0.0.1:9080/",
                      false,
                      DiscoveryClient.parse(MANIFEST),
                      "restate-sdk-java/2.4.0",
                      4),
                  Map.of(),
                  Map.of(),
                  false,
                  false,
                  false)
              .deployment()
              .id();
    } catch (SchemaException e) {
      throw new IllegalStateException(e);
    }
    engine =
        new QueryEngine(
            () -> {
              openReaders.incrementAndGet();
              Store.Reader r = store.reader();
              return new CountingReader(r);
            },
            partitioning,
            registry,
            "0.1.0",
            Duration.ofSeconds(10));
    try (Store.Batch b = store.begin()) {
      put(
          b,
          completed,
          base(GREET)
              .setPhase(InvocationStatus.Phase.COMPLETED)
              .setCompletedAt(T0 + 100)
              .setDeploymentId(deployment)
              .setProtocolVersion(6)
              .setRunningAt(T0 + 1)
              .setJournalLength(2)
              .setCommands(2)
              .setOutcome(Outcome.newBuilder().setSuccess(ByteString.copyFromUtf8("\"hi\"")))
              .build());
      put(
          b,
          failed,
          base(GREET)
              .setPhase(InvocationStatus.Phase.COMPLETED)
              .setCompletedAt(T0 + 200)
              .setOutcome(
                  Outcome.newBuilder()
                      .setFailure(Failure.newBuilder().setCode(418).setMessage("boom")))
              .build());
      put(
          b,
          running,
          base(ADD)
              .setPhase(InvocationStatus.Phase.BACKING_OFF)
              .setDeploymentId(deployment)
              .setProtocolVersion(6)
              .setTotalAttempts(3)
              .setRunningAt(T0 + 5)
              .setLastStartAt(T0 + 50)
              .setNextRetryAt(T0 + 1000)
              .setLastFailure("[500] oops")
              .setLastFailureErrorCode("RT0007")
              .setLastFailureRelatedCommandIndex(1)
              .setLastFailureRelatedCommandName("publish")
              .setLastFailureRelatedCommandType(MessageType.RUN_COMMAND.code())
              .setJournalLength(2)
              .setCommands(2)
              .build());
      put(
          b,
          inboxed,
          base(ADD).setPhase(InvocationStatus.Phase.INBOXED).setInboxedAt(T0 + 7).build());
      put(
          b,
          child,
          base(GREET)
              .setPhase(InvocationStatus.Phase.SCHEDULED)
              .setExecutionTimeMillis(T0 + 3_600_000)
              .setInvokedById(ByteString.copyFrom(completed.toBytes()))
              .setInvokedByTarget(GREET)
              .build());
      put(
          b,
          suspended,
          base(RUN)
              .setPhase(InvocationStatus.Phase.SUSPENDED)
              .setWaiting(Suspended.newBuilder().addCompletions(2))
              .build());
      journal(b, running, 0, MessageType.INPUT_COMMAND, InputCommandMessage.getDefaultInstance());
      journal(
          b,
          running,
          1,
          MessageType.RUN_COMMAND,
          RunCommandMessage.newBuilder().setName("publish").setResultCompletionId(1).build());
      int p = partitioning.partitionOf(PartitionKeys.keyed("k1"));
      b.put(
          Keys.of(p, Keys.STATE).str("Counter").str("k1").lenBytes("count".getBytes()).build(),
          "5".getBytes());
      b.put(
          Keys.of(p, Keys.STATE).str("Counter").str("k1").lenBytes("bin".getBytes()).build(),
          new byte[] {(byte) 0xff, 0});
      b.put(Keys.of(p, Keys.LOCK).str("Counter").str("k1").build(), running.toBytes());
      b.put(Keys.of(p, Keys.INBOX).str("Counter").str("k1").u64(0).build(), inboxed.toBytes());
      int pw = partitioning.partitionOf(PartitionKeys.keyed("w1"));
      b.put(
          Keys.of(pw, Keys.PROMISE).str("Signup").str("w1").str("approval").build(),
          Promise.newBuilder().build().toByteArray());
      b.commit();
    }
  }

  private InvocationStatus.Builder base(Target t) {
    return InvocationStatus.newBuilder()
        .setTarget(t)
        .setCreatedAt(T0)
        .setModifiedAt(T0 + 10)
        .setJournalLength(1)
        .setCommands(1)
        .setCompletionRetentionMillis(86_400_000);
  }

  private void put(Store.Batch b, InvocationId id, InvocationStatus st) {
    int p = partitioning.partitionOf(id.partitionKey());
    b.put(Keys.of(p, Keys.STATUS).bytes(id.toBytes()).build(), st.toByteArray());
  }

  private void journal(Store.Batch b, InvocationId id, int index, MessageType t, MessageLite m) {
    int p = partitioning.partitionOf(id.partitionKey());
    b.put(
        Keys.of(p, Keys.JOURNAL).bytes(id.toBytes()).u32(index).build(),
        JournalEntry.newBuilder()
            .setType(t.code())
            .setPayload(m.toByteString())
            .setAppendedAt(T0 + index)
            .build()
            .toByteArray());
  }

  static InvocationId id(String key, int n, boolean keyed) {
    byte[] uuid = new byte[16];
    uuid[15] = (byte) n;
    long pk = keyed ? PartitionKeys.keyed(key) : PartitionKeys.bucket(key, n);
    return new InvocationId(pk, uuid);
  }

  /** Counts closes so tests can check that every reader was closed. */
  final class CountingReader implements Store.Reader {
    private final Store.Reader r;

    CountingReader(Store.Reader r) {
      this.r = r;
    }

    @Override
    public byte[] get(byte[] key) {
      gets.incrementAndGet();
      return r.get(key);
    }

    @Override
    public void scan(byte[] prefix, java.util.function.BiPredicate<byte[], byte[]> visitor) {
      scans.add(prefix);
      r.scan(
          prefix,
          (k, v) -> {
            visited.incrementAndGet();
            return visitor.test(k, v);
          });
    }

    @Override
    public void close() {
      openReaders.decrementAndGet();
      r.close();
    }
  }
}
