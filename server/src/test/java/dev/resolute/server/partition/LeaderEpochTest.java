package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.log.MemoryLog;
import dev.resolute.server.pb.AnnounceLeader;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.Invoke;
import dev.resolute.server.pb.Target;
import dev.resolute.server.storage.MemoryStore;
import dev.resolute.server.storage.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Leader epochs: announcements, fencing of stale leaders' records, and old records without one. */
class LeaderEpochTest {
  static final Target SERVICE =
      Target.newBuilder().setService("Greeter").setHandler("greet").build();

  final Store store = new MemoryStore();
  StateMachine sm = new StateMachine(0, new Partitioning(1));
  long lsn;
  final ScheduledExecutorService timers = new ScheduledThreadPoolExecutor(1);

  @AfterEach
  void stop() {
    timers.shutdownNow();
  }

  List<Effect> apply(Envelope.Builder env) {
    List<Effect> effects = new ArrayList<>();
    try (Store.Batch b = store.begin()) {
      sm.apply(b, ++lsn, env.setTimestampMillis(1_000_000).build(), effects);
      b.commit();
    }
    return effects;
  }

  static Envelope.Builder announce(long epoch, int node) {
    return Envelope.newBuilder()
        .setLeaderEpoch(epoch)
        .setLeaderNode(node)
        .setAnnounceLeader(AnnounceLeader.newBuilder().setEpoch(epoch).setNode(node));
  }

  static Envelope.Builder invoke(int n, long epoch, int node) {
    InvocationId id = StateMachineTest.id("x", n);
    return Envelope.newBuilder()
        .setLeaderEpoch(epoch)
        .setLeaderNode(node)
        .setInvoke(
            Invoke.newBuilder()
                .setInvocationId(ByteString.copyFrom(id.toBytes()))
                .setTarget(SERVICE)
                .setIngressRequest(100 + n));
  }

  boolean exists(int n) {
    try (Store.Reader r = store.reader()) {
      return new Tables(0).on(r).status(StateMachineTest.id("x", n)) != null;
    }
  }

  long storedEpoch() {
    try (Store.Reader r = store.reader()) {
      return Leadership.epoch(r, 0);
    }
  }

  long appliedLsn() {
    return PartitionProcessor.appliedLsn(store, 0);
  }

  @Test
  void recordsOfAnEpochBelowTheAnnouncedOneAreIgnored() {
    apply(announce(1, 7));
    assertThat(apply(invoke(1, 1, 7))).isNotEmpty();
    assertThat(exists(1)).isTrue();

    apply(announce(2, 8));
    assertThat(storedEpoch()).isEqualTo(2);
    // the old leader goes on appending: nothing of it is applied, not even its reply
    assertThat(apply(invoke(2, 1, 7))).isEmpty();
    assertThat(exists(2)).isFalse();
    assertThat(sm.fencedRecords()).isEqualTo(1);
    assertThat(appliedLsn()).isEqualTo(lsn); // the applied LSN still moves past it

    assertThat(apply(invoke(3, 2, 8))).isNotEmpty();
    assertThat(exists(3)).isTrue();
    assertThat(sm.fencedRecords()).isEqualTo(1);
  }

  @Test
  void aSecondAnnouncementOfTheSameEpochFencesItsNode() {
    apply(announce(3, 1));
    apply(announce(3, 2)); // node 2 computed the same epoch but announced second
    assertThat(sm.fencedRecords()).isEqualTo(1);
    apply(invoke(1, 3, 2));
    assertThat(exists(1)).isFalse();
    apply(invoke(2, 3, 1));
    assertThat(exists(2)).isTrue();
    // an announcement below the current epoch changes nothing either
    apply(announce(2, 2));
    assertThat(storedEpoch()).isEqualTo(3);
    assertThat(sm.fencedRecords()).isEqualTo(3);
  }

  @Test
  void recordsWithoutAnEpochApplyBeforeAndAfterAnnouncements() {
    // a store written before epochs existed: no announcement, records with epoch 0
    apply(invoke(1, 0, 0));
    assertThat(exists(1)).isTrue();
    apply(announce(1, 0));
    // epoch 0 is "not a leader's record" (ingress or outbox of another node in cluster mode)
    apply(invoke(2, 0, 0));
    assertThat(exists(2)).isTrue();
    assertThat(sm.fencedRecords()).isZero();
  }

  @Test
  void aRecordAheadOfItsAnnouncementIsApplied() {
    apply(announce(1, 0));
    // appended by the next leader while its announcement was still queued behind it
    apply(invoke(1, 2, 5));
    assertThat(exists(1)).isTrue();
    apply(announce(2, 5));
    apply(invoke(2, 2, 5));
    assertThat(exists(2)).isTrue();
    assertThat(sm.fencedRecords()).isZero();
  }

  @Test
  void theEpochIsReadFromTheStoreAfterARestart() {
    apply(announce(4, 1));
    sm = new StateMachine(0, new Partitioning(1)); // a restart: nothing cached
    apply(invoke(1, 3, 1));
    assertThat(exists(1)).isFalse();
    assertThat(sm.fencedRecords()).isEqualTo(1);
  }

  @Test
  void theAppenderStampsItsEpochOverAnyCopiedOne() throws Exception {
    MemoryLog log = new MemoryLog(2);
    MemoryLog.View view = log.view(3);
    Appender appender = new Appender(view, Clock.systemUTC(), 3);
    Envelope shipped = invoke(1, 9, 9).build(); // e.g. an outbox message built from a record
    appender.append(1, shipped);
    appender.lead(1, 4);
    appender.append(1, shipped);
    appender.append(0, shipped); // a partition it does not lead
    log.commitAll();
    List<Envelope> out = new ArrayList<>();
    for (MemoryLog.Entry e : log.committed()) {
      out.add(Envelope.parseFrom(e.payload()));
    }
    assertThat(out.get(0).getLeaderEpoch()).isZero();
    assertThat(out.get(0).getLeaderNode()).isZero();
    assertThat(out.get(1).getLeaderEpoch()).isEqualTo(4);
    assertThat(out.get(1).getLeaderNode()).isEqualTo(3);
    assertThat(out.get(2).getLeaderEpoch()).isZero();
  }

  /** Builds the partition's leader as the node does at start: replay, then lead. */
  PartitionProcessor start(MemoryLog log, int node) {
    MemoryLog.View view = log.view(node);
    Appender appender =
        new Appender(view, Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC), node);
    PartitionProcessor pp =
        new PartitionProcessor(
            0,
            new Partitioning(1),
            store,
            appender,
            new NoInvoker(),
            new Replies(),
            timers,
            Runnable::run);
    view.replay(new long[] {PartitionProcessor.appliedLsn(store, 0)}, (p, l, r) -> pp.replay(l, r));
    view.subscribe(0, pp::onCommitted);
    pp.lead();
    log.commitAll();
    view.deliver(Integer.MAX_VALUE);
    return pp;
  }

  @Test
  void eachLeaderAnnouncesTheNextEpochBeforeAnyOfItsRecords()
      throws InvalidProtocolBufferException {
    MemoryLog log = new MemoryLog(1);
    start(log, 0);
    assertThat(storedEpoch()).isEqualTo(1);
    int first = log.committed().size();
    start(log, 0); // a restart of the same node
    assertThat(storedEpoch()).isEqualTo(2);
    Envelope announce = Envelope.parseFrom(log.committed().get(first).payload());
    assertThat(announce.getAnnounceLeader().getEpoch()).isEqualTo(2);
    for (MemoryLog.Entry e : log.committed().subList(first, log.committed().size())) {
      assertThat(Envelope.parseFrom(e.payload()).getLeaderEpoch()).isEqualTo(2);
    }

    // another node takes over; the old one's records from then on are ignored
    PartitionProcessor next = start(log, 4);
    assertThat(storedEpoch()).isEqualTo(3);
    Appender stale = new Appender(log.view(0), Clock.systemUTC(), 0);
    stale.lead(0, 2);
    stale.append(0, invoke(1, 0, 0).build());
    MemoryLog.View nextView = log.view(5); // a reader that delivers to the new leader
    nextView.replay(new long[] {log.lastLsn()}, (p, l, r) -> {});
    nextView.subscribe(0, next::onCommitted);
    log.commitAll();
    nextView.deliver(Integer.MAX_VALUE);
    assertThat(exists(1)).isFalse();
    assertThat(next.fencedRecords()).isEqualTo(1);
  }

  static final class NoInvoker implements InvokerPort {
    @Override
    public void start(int partition, Effect.StartAttempt attempt) {}

    @Override
    public void forward(InvocationId id, int attempt, dev.resolute.server.pb.JournalEntry entry) {}

    @Override
    public void abort(InvocationId id) {}
  }
}
