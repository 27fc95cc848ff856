package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.protocol.pb.CallCommandMessage;
import dev.resolute.protocol.pb.OneWayCallCommandMessage;
import dev.resolute.server.log.Log;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.Invoke;
import dev.resolute.server.pb.InvokerEvent;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.Suspended;
import dev.resolute.server.pb.Target;
import dev.resolute.server.storage.MemoryStore;
import dev.resolute.server.storage.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A restart after a crash, partition by partition as {@code ResoluteServer} starts them: every
 * partition replays its log tail (into a store batch that {@link PartitionProcessor#lead()}
 * commits), then the partitions lead one after the other, each re-shipping its outbox. A message
 * re-shipped by partition 0 reaches partition 1 before partition 1 leads: it must be applied after
 * partition 1's replay, never against the store without it.
 *
 * <p>The history is the chaos suite's {@code Chain} handler: a call to a counter (in partition 0),
 * a suspension, the call's result (which starts attempt 2), then a one-way send of attempt 2; the
 * store's last flush lies before the call's result, so that and the send are replayed. Applied
 * against the flushed store, the re-shipped result passed the (source, seq) dedup, woke the
 * invocation from its old suspension and started an attempt 2 on the old journal, whose deployment
 * sent the one-way call again; once the replay was committed that command matched the current
 * attempt 2 and was journaled at the next index: a second child, one send applied twice (the
 * duplicates of the 30-minute chaos run).
 */
class LeadAfterReplayTest {
  static final String CALL_KEY = keyIn(0);
  static final Target CHAIN = Target.newBuilder().setService("Chain").setHandler("chain").build();
  static final Target CALLED = counter(CALL_KEY);
  static final Target SENT = counter("send-0");

  final Partitioning partitioning = new Partitioning(2);
  final MemoryStore store = new MemoryStore();
  final FakeLog log = new FakeLog();
  final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);
  final Appender appender = new Appender(log, clock);
  final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
  final Deployment deployment = new Deployment();

  /** The chain invocation, in partition 1 (the upper half of the partition keys). */
  final InvocationId chain = new InvocationId(0x8000_0000_0000_0001L, new byte[16]);

  long lsn;

  @AfterEach
  void stopTimers() {
    timers.shutdownNow();
  }

  @Test
  void aMessageReshippedBeforeThePartitionLeadsIsAppliedAfterItsReplay() {
    assertThat(partitioning.partitionOf(chain.partitionKey())).isEqualTo(1);
    assertThat(partitioning.partitionOf(PartitionKeys.keyed(CALL_KEY))).isEqualTo(0);
    StateMachine[] sm = {new StateMachine(0, partitioning), new StateMachine(1, partitioning)};

    // before the crash; the store was last flushed after these
    applyFlushed(sm[1], invokeChain());
    Envelope invokeCallee = ship(applyFlushed(sm[1], command(chain, 1, call())));
    applyFlushed(sm[1], suspended(chain, 1, 2));
    Envelope callee = invokeCallee;
    InvocationId calleeId =
        InvocationId.fromBytes(callee.getInvoke().getInvocationId().toByteArray());
    applyFlushed(sm[0], callee);
    Envelope result = ship(applyFlushed(sm[0], end(calleeId, 1)));
    // after the flush: the call's result (attempt 2 starts) and attempt 2's one-way send
    List<Object[]> tail = new ArrayList<>();
    tail.add(new Object[] {++lsn, result});
    tail.add(new Object[] {++lsn, command(chain, 2, oneWayCall())});
    log.lsn = lsn;

    // the restart, as ResoluteServer does it
    PartitionProcessor[] pp = new PartitionProcessor[2];
    for (int p = 0; p < 2; p++) {
      pp[p] =
          new PartitionProcessor(
              p, partitioning, store, appender, deployment, new Replies(), timers, Runnable::run);
    }
    for (Object[] r : tail) {
      pp[1].replay((long) r[0], ((Envelope) r[1]).toByteArray());
    }
    for (int p = 0; p < 2; p++) {
      log.subscribe(p, pp[p]::onCommitted);
    }
    pp[0].lead();
    log.deliver(); // partition 0's outbox (the call's result) reaches partition 1 before it leads
    pp[1].lead();
    log.deliver();
    log.deliver();

    assertThat(log.invocationsOf(SENT)).as("children created by the one-way call").hasSize(1);
    // only the attempt ResumeAll starts, on the replayed journal
    assertThat(deployment.started).containsExactly(chain + "@3");
  }

  @Test
  void aLeaderTruncatesItsOutboxOnlyOnceTheReshippedMessagesAreDurable() {
    StateMachine sm1 = new StateMachine(1, partitioning);
    applyFlushed(sm1, invokeChain());
    ship(applyFlushed(sm1, command(chain, 1, call()))); // an outbox message to partition 0
    log.failing.add(0); // appends to partition 0 fail (a Kafka partition apart from the others)
    PartitionProcessor p1 =
        new PartitionProcessor(
            1, partitioning, store, appender, deployment, new Replies(), timers, Runnable::run);
    log.subscribe(1, p1::onCommitted);
    p1.lead();
    assertThat(log.appended)
        .as("nothing truncated while the re-shipped message is not durable")
        .noneMatch(Envelope::hasTruncateOutbox);

    log.failing.clear(); // the next leader ships it again, and then truncates
    PartitionProcessor next =
        new PartitionProcessor(
            1, partitioning, store, appender, deployment, new Replies(), timers, Runnable::run);
    log.subscribe(1, next::onCommitted);
    next.lead();
    assertThat(log.appended).filteredOn(Envelope::hasTruncateOutbox).hasSize(1);
    assertThat(log.invocationsOf(CALLED)).hasSize(1);
  }

  // ---------------------------------------------------------------- the history

  private List<Effect> applyFlushed(StateMachine sm, Envelope env) {
    List<Effect> effects = new ArrayList<>();
    try (Store.Batch b = store.begin()) {
      sm.apply(b, ++lsn, env.toBuilder().setTimestampMillis(clock.millis()).build(), effects);
      b.commit();
    }
    return effects;
  }

  private static Envelope ship(List<Effect> effects) {
    return effects.stream()
        .filter(Effect.Ship.class::isInstance)
        .map(e -> ((Effect.Ship) e).envelope())
        .findFirst()
        .orElseThrow();
  }

  private Envelope invokeChain() {
    return Envelope.newBuilder()
        .setInvoke(
            Invoke.newBuilder()
                .setInvocationId(ByteString.copyFrom(chain.toBytes()))
                .setTarget(CHAIN)
                .setInput(ByteString.copyFromUtf8("\"op 0 10\"")))
        .build();
  }

  static MessageLite call() {
    return CallCommandMessage.newBuilder()
        .setServiceName(CALLED.getService())
        .setHandlerName(CALLED.getHandler())
        .setKey(CALLED.getKey())
        .setParameter(ByteString.copyFromUtf8("1"))
        .setInvocationIdNotificationIdx(1)
        .setResultCompletionId(2)
        .build();
  }

  static MessageLite oneWayCall() {
    return OneWayCallCommandMessage.newBuilder()
        .setServiceName(SENT.getService())
        .setHandlerName(SENT.getHandler())
        .setKey(SENT.getKey())
        .setParameter(ByteString.copyFromUtf8("1"))
        .setInvocationIdNotificationIdx(3)
        .build();
  }

  static Envelope command(InvocationId id, int attempt, MessageLite m) {
    MessageType type = MessageType.of(m);
    InvokerEvent.Builder ev =
        InvokerEvent.newBuilder()
            .setInvocationId(ByteString.copyFrom(id.toBytes()))
            .setAttempt(attempt)
            .setDeploymentId("dp_x")
            .setProtocolVersion(6)
            .setCommand(StateMachine.entry(type, m));
    if (m instanceof CallCommandMessage) {
      ev.setCallTarget(CALLED);
    } else if (m instanceof OneWayCallCommandMessage) {
      ev.setCallTarget(SENT);
    }
    return Envelope.newBuilder().setInvokerEvent(ev).build();
  }

  static Envelope suspended(InvocationId id, int attempt, int completion) {
    return Envelope.newBuilder()
        .setInvokerEvent(
            InvokerEvent.newBuilder()
                .setInvocationId(ByteString.copyFrom(id.toBytes()))
                .setAttempt(attempt)
                .setSuspended(Suspended.newBuilder().addCompletions(completion)))
        .build();
  }

  static Envelope end(InvocationId id, int attempt) {
    return Envelope.newBuilder()
        .setInvokerEvent(
            InvokerEvent.newBuilder()
                .setInvocationId(ByteString.copyFrom(id.toBytes()))
                .setAttempt(attempt)
                .setEnd(true))
        .build();
  }

  static Target counter(String key) {
    return Target.newBuilder()
        .setService("Tally")
        .setHandler("add")
        .setKey(key)
        .setKeyed(true)
        .setKind(Target.Kind.EXCLUSIVE)
        .build();
  }

  /** A counter key whose partition key lies in partition {@code p} of 2. */
  static String keyIn(int p) {
    Partitioning two = new Partitioning(2);
    for (int i = 0; ; i++) {
      String key = "call-" + i;
      if (two.partitionOf(PartitionKeys.keyed(key)) == p) {
        return key;
      }
    }
  }

  // ---------------------------------------------------------------- fakes

  /**
   * The chain's deployment, as the SDK behaves: it replays the journal it is given and sends the
   * first command the journal does not hold yet (here only the one-way call after the call's
   * result).
   */
  final class Deployment implements InvokerPort {
    final List<String> started = new ArrayList<>();

    @Override
    public void start(int partition, Effect.StartAttempt a) {
      if (!a.id().equals(chain)) {
        return; // the counters are not run here
      }
      started.add(a.id() + "@" + a.status().getAttempt());
      boolean result = false;
      boolean sent = false;
      for (JournalEntry e : a.journal()) {
        result |= e.getType() == MessageType.CALL_COMPLETION.code();
        sent |= e.getType() == MessageType.ONE_WAY_CALL_COMMAND.code();
      }
      if (result && !sent) {
        // numbered as the invoker numbers it: the first command after the given journal
        appender.append(
            partition,
            command(chain, a.status().getAttempt(), oneWayCall()).toBuilder()
                .setCommandIndex(a.status().getCommands())
                .build());
      }
    }

    @Override
    public void forward(InvocationId id, int attempt, JournalEntry entry) {}

    @Override
    public void abort(InvocationId id) {}
  }

  /**
   * A log whose appends commit at once and are delivered to the partitions only when the test says
   * so, in LSN order.
   */
  static final class FakeLog implements Log {
    final Deque<Object[]> committed = new ArrayDeque<>();
    final Map<Integer, RecordConsumer> consumers = new HashMap<>();
    final List<Envelope> appended = new ArrayList<>();
    final Set<Integer> failing = new java.util.HashSet<>();
    long lsn;

    @Override
    public CompletableFuture<Long> append(int partition, byte[] payload) {
      if (failing.contains(partition)) {
        return CompletableFuture.failedFuture(new IllegalStateException("partition unavailable"));
      }
      try {
        appended.add(Envelope.parseFrom(payload));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException(e);
      }
      committed.add(new Object[] {partition, ++lsn, payload});
      return CompletableFuture.completedFuture(lsn);
    }

    /** Delivers what is committed (not what the deliveries append meanwhile). */
    void deliver() {
      for (int n = committed.size(); n > 0; n--) {
        Object[] r = committed.poll();
        consumers.get((int) r[0]).accept((int) r[0], (long) r[1], (byte[]) r[2]);
      }
    }

    /** The invocations of {@code target} that appended Invokes name (re-shipped ones once). */
    Set<InvocationId> invocationsOf(Target target) {
      Set<InvocationId> ids = new LinkedHashSet<>();
      for (Envelope e : appended) {
        if (e.hasInvoke() && e.getInvoke().getTarget().equals(target)) {
          ids.add(InvocationId.fromBytes(e.getInvoke().getInvocationId().toByteArray()));
        }
      }
      return ids;
    }

    @Override
    public void replay(long[] appliedLsn, RecordConsumer consumer) {}

    @Override
    public void subscribe(int partition, RecordConsumer consumer) {
      consumers.put(partition, consumer);
    }

    @Override
    public void close() {}
  }
}
