package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.log.Log;
import dev.resolute.server.log.MemoryLog;
import dev.resolute.server.storage.MemoryStore;
import dev.resolute.server.storage.PartitionCopy;
import dev.resolute.server.storage.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cold followers ({@code cluster.warm-followers = false}) on one partition: a node applies the
 * partition only while it claims it or a read holds it; taking it catches up first (a snapshot when
 * the log was trimmed past it, then the log's tail) and only then announces; answers for another
 * node's waiters travel as forwarded replies. A warm node beside them is the reference: the
 * caught-up store equals its store key for key.
 */
class ColdFollowerTest {
  final MemoryLog log = new MemoryLog(1);
  final ScheduledExecutorService timers = new ScheduledThreadPoolExecutor(1);
  final List<Runnable> catchUps = new ArrayList<>();
  final Source source = new Source();

  @AfterEach
  void stop() {
    timers.shutdownNow();
  }

  /** The log and the snapshot repository as a cold partition sees them. */
  final class Source implements CatchUpSource {
    long start;
    Store snapshot;
    int restores;
    int reads;

    @Override
    public long logStart(int partition) {
      return start;
    }

    @Override
    public long end(int partition) {
      return log.committed().stream()
          .filter(e -> e.partition() == partition)
          .mapToLong(MemoryLog.Entry::lsn)
          .max()
          .orElse(0);
    }

    @Override
    public void read(int partition, long after, long upTo, Log.RecordConsumer consumer) {
      if (after < start) {
        throw new IllegalStateException("trimmed");
      }
      reads++;
      for (MemoryLog.Entry e : log.committed()) {
        if (e.partition() == partition && e.lsn() > after && e.lsn() <= upTo) {
          consumer.accept(partition, e.lsn(), e.payload());
        }
      }
    }

    @Override
    public long restore(int partition, Store store, long atLeast) {
      restores++;
      if (snapshot == null) {
        throw new IllegalStateException("no snapshot covers LSN " + atLeast);
      }
      try (Store.Reader r = snapshot.reader()) {
        long lsn = Tables.appliedLsn(r, partition);
        assertThat(lsn).isGreaterThanOrEqualTo(atLeast);
        PartitionCopy.replace(r, store, partition);
        return lsn;
      }
    }
  }

  final class Node {
    final Store store = new MemoryStore();
    final MemoryLog.View view;
    final Appender appender;
    final Replies replies;
    final ClusterLeadershipTest.RecordingInvoker invoker =
        new ClusterLeadershipTest.RecordingInvoker();
    final PartitionProcessor pp;

    Node(int id, boolean cold) {
      view = log.view(id);
      appender =
          new Appender(view, Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC), id);
      replies = Replies.forNode(id, 1_000_000_000L);
      pp =
          new PartitionProcessor(
              0, new Partitioning(1), store, appender, invoker, replies, timers, Runnable::run);
      if (cold) {
        pp.coldFollower(source, catchUps::add);
      }
      view.replay(new long[] {0}, (p, l, r) -> pp.replay(l, r));
      view.subscribe(0, pp::onCommitted);
      pp.follow();
    }

    long applied() {
      return PartitionProcessor.appliedLsn(store, 0);
    }

    List<String> keys() {
      List<String> out = new ArrayList<>();
      try (Store.Reader r = store.reader()) {
        r.scan(
            PartitionCopy.prefix(0),
            (k, v) -> {
              out.add(
                  java.util.HexFormat.of().formatHex(k)
                      + "="
                      + java.util.HexFormat.of().formatHex(v));
              return true;
            });
      }
      return out;
    }
  }

  void settle(Node... nodes) {
    for (int i = 0; i < 10; i++) {
      log.commitAll();
      for (Node n : nodes) {
        n.view.deliver(Integer.MAX_VALUE);
      }
      List<Runnable> run = new ArrayList<>(catchUps);
      catchUps.clear();
      run.forEach(Runnable::run);
    }
  }

  @Test
  void aColdNodeAppliesOnlyWhatItLeadsAndCatchesUpBeforeItLeads() {
    Node a = new Node(1, true);
    Node b = new Node(2, true);
    Node warm = new Node(3, false);
    a.pp.claim();
    assertThat(catchUps).hasSize(1); // the claim catches up before it announces
    assertThat(log.pendingCount()).isZero();
    settle(a, b, warm);
    assertThat(a.pp.isLeader()).isTrue();
    assertThat(b.pp.applying()).isFalse();
    long bApplied = b.applied();

    // b's client record: applied and run by a; b's waiter answered through a forwarded reply
    CompletableFuture<Answer> waiter = new CompletableFuture<>();
    long request = b.replies.register(waiter);
    b.appender.forClients().append(0, ClusterLeadershipTest.invoke(1, request));
    settle(a, b, warm);
    assertThat(a.invoker.started).hasSize(1);
    assertThat(waiter).isDone();
    assertThat(b.applied()).isEqualTo(bApplied); // b applied nothing
    assertThat(b.keys()).isNotEqualTo(warm.keys());
    assertThat(a.keys()).isEqualTo(warm.keys());

    // a steps down: it stops applying; b takes over, caught up from the log before it announces
    a.pp.stepDown();
    settle(a, b, warm);
    assertThat(a.pp.applying()).isFalse();
    long aApplied = a.applied();
    b.appender.forClients().append(0, ClusterLeadershipTest.invoke(2, 0));
    settle(a, b, warm);
    assertThat(a.applied()).isEqualTo(aApplied);
    b.pp.claim();
    settle(a, b, warm);
    assertThat(b.pp.isLeader()).isTrue();
    assertThat(b.pp.appliedLeader()).containsExactly(2, 2);
    assertThat(source.reads).isEqualTo(2);
    assertThat(source.restores).isZero();
    // both invocations are re-driven by b's ResumeAll: its store is the warm replica's
    assertThat(b.invoker.started).hasSize(2);
    assertThat(b.keys()).isEqualTo(warm.keys());
  }

  @Test
  void aPartitionBehindTheTrimPointIsRestoredFromTheSnapshotThenReplayed() {
    Node a = new Node(1, true);
    Node b = new Node(2, true);
    Node warm = new Node(3, false);
    a.pp.claim();
    settle(a, b, warm);
    for (int i = 0; i < 5; i++) {
      a.appender.forClients().append(0, ClusterLeadershipTest.invoke(10 + i, 0));
    }
    settle(a, b, warm);
    // a snapshot of a's store, the log trimmed up to it, then more records
    source.snapshot = new MemoryStore();
    try (Store.Reader r = a.store.reader()) {
      PartitionCopy.replace(r, source.snapshot, 0);
    }
    source.start = a.applied();
    for (int i = 0; i < 3; i++) {
      a.appender.forClients().append(0, ClusterLeadershipTest.invoke(20 + i, 0));
    }
    settle(a, b, warm);
    assertThat(b.applied()).isLessThan(source.start);

    a.pp.stepDown();
    b.pp.claim();
    settle(a, b, warm);
    assertThat(source.restores).isEqualTo(1);
    assertThat(b.pp.isLeader()).isTrue();
    assertThat(b.keys()).isEqualTo(warm.keys());
    assertThat(b.invoker.started).hasSize(8);
  }

  @Test
  void aStepDownDuringTheCatchUpAnnouncesNothingAndTheFailedCatchUpLeavesItCold() {
    Node a = new Node(1, true);
    Node b = new Node(2, true);
    Node warm = new Node(3, false);
    a.pp.claim();
    settle(a, b, warm);
    a.appender.forClients().append(0, ClusterLeadershipTest.invoke(1, 0));
    settle(a, b, warm);
    // b is assigned the partition and loses it again before its catch-up ran
    b.pp.claim();
    b.view.deliver(Integer.MAX_VALUE); // the hold reaches b's actor: the catch-up is queued
    assertThat(catchUps).hasSize(1);
    b.pp.stepDown();
    int before = log.committed().size();
    settle(a, b, warm);
    assertThat(log.committed()).hasSize(before); // no announcement
    assertThat(b.pp.isLeader()).isFalse();
    assertThat(b.pp.applying()).isFalse();
    assertThat(a.pp.isLeader()).isTrue();

    // a catch-up that cannot read the log (trimmed, no snapshot): the partition stays cold
    source.start = log.committed().size() + 100;
    source.snapshot = null;
    CompletableFuture<Void> held = b.pp.hold();
    settle(a, b, warm);
    assertThat(held).isCompletedExceptionally();
    b.pp.release();
    settle(a, b, warm);
    assertThat(b.pp.applying()).isFalse();
    assertThat(b.pp.isLeader()).isFalse();
  }

  @Test
  void aReadHoldCatchesAColdPartitionUpAndItGoesColdAgainAfter() {
    Node a = new Node(1, true);
    Node b = new Node(2, true);
    Node warm = new Node(3, false);
    a.pp.claim();
    settle(a, b, warm);
    a.appender.forClients().append(0, ClusterLeadershipTest.invoke(1, 0));
    settle(a, b, warm);
    CompletableFuture<Void> held = b.pp.hold();
    assertThat(held).isNotDone();
    settle(a, b, warm);
    assertThat(held).isDone();
    assertThat(b.pp.applying()).isTrue();
    assertThat(b.keys()).isEqualTo(warm.keys());
    // while held, b applies what arrives
    a.appender.forClients().append(0, ClusterLeadershipTest.invoke(2, 0));
    settle(a, b, warm);
    assertThat(b.keys()).isEqualTo(warm.keys());
    assertThat(b.invoker.started).isEmpty(); // a follower runs nothing
    b.pp.release();
    settle(a, b, warm);
    assertThat(b.pp.applying()).isFalse();
    long applied = b.applied();
    a.appender.forClients().append(0, ClusterLeadershipTest.invoke(3, 0));
    settle(a, b, warm);
    assertThat(b.applied()).isEqualTo(applied);
  }
}
