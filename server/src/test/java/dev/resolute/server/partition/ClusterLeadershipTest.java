package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.log.MemoryLog;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.TimerFired;
import dev.resolute.server.storage.MemoryStore;
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
 * Cluster mode's leadership on one partition: warm followers apply everything with no effects but
 * replies to their own waiters; a claim leads once its announcement is applied; a node that applies
 * another node's later announcement steps down at once, and what it still appends is fenced; a
 * client's record appended by any node is never fenced.
 */
class ClusterLeadershipTest {
  final MemoryLog log = new MemoryLog(1);
  final ScheduledExecutorService timers = new ScheduledThreadPoolExecutor(1);

  @AfterEach
  void stop() {
    timers.shutdownNow();
  }

  /** What the invoker of one node was asked to do. */
  static final class RecordingInvoker implements InvokerPort {
    final List<InvocationId> started = new ArrayList<>();
    int partitionAborts;

    @Override
    public void start(int partition, Effect.StartAttempt attempt) {
      started.add(attempt.id());
    }

    @Override
    public void forward(InvocationId id, int attempt, JournalEntry entry) {}

    @Override
    public void abort(InvocationId id) {}

    @Override
    public void abortPartition(int partition) {
      partitionAborts++;
    }
  }

  /** One node: its store, log view, appender, waiters and the partition's processor. */
  final class Node {
    final int id;
    final Store store = new MemoryStore();
    final MemoryLog.View view;
    final Appender appender;
    final Replies replies;
    final RecordingInvoker invoker = new RecordingInvoker();
    final PartitionProcessor pp;

    Node(int id) {
      this.id = id;
      view = log.view(id);
      appender =
          new Appender(view, Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC), id);
      replies = Replies.forNode(id, 1_000_000_000L);
      pp =
          new PartitionProcessor(
              0, new Partitioning(1), store, appender, invoker, replies, timers, Runnable::run);
      view.replay(new long[] {0}, (p, l, r) -> pp.replay(l, r));
      view.subscribe(0, pp::onCommitted);
      pp.follow();
    }
  }

  void settle(Node... nodes) {
    for (int i = 0; i < 10; i++) {
      log.commitAll();
      for (Node n : nodes) {
        n.view.deliver(Integer.MAX_VALUE);
      }
    }
  }

  static Envelope invoke(int n, long request) {
    Envelope.Builder b = LeaderEpochTest.invoke(n, 0, 0);
    b.getInvokeBuilder().setIngressRequest(request);
    return b.build();
  }

  @Test
  void aClaimLeadsOnceAppliedAndALaterClaimFencesTheOldLeader() {
    Node a = new Node(1);
    Node b = new Node(2);
    a.pp.claim();
    assertThat(a.pp.isLeader()).isFalse(); // not before its announcement is applied
    settle(a, b);
    assertThat(a.pp.isLeader()).isTrue();
    assertThat(b.pp.isLeader()).isFalse();
    assertThat(b.pp.appliedLeader()).containsExactly(1, 1);

    // a client's record appended on the follower: applied everywhere, run by the leader only,
    // answered on the node that holds the waiter
    CompletableFuture<Answer> waiter = new CompletableFuture<>();
    long request = b.replies.register(waiter);
    b.appender.forClients().append(0, invoke(1, request));
    settle(a, b);
    assertThat(a.invoker.started).hasSize(1);
    assertThat(b.invoker.started).isEmpty();
    assertThat(waiter).isDone();

    // b takes over while a still believes it leads (paused; its membership has not noticed)
    b.pp.claim();
    settle(a, b);
    assertThat(b.pp.isLeader()).isTrue();
    assertThat(a.pp.isLeader()).isFalse();
    assertThat(a.invoker.partitionAborts).isEqualTo(1);
    assertThat(b.invoker.started).hasSize(1); // b's ResumeAll re-drives the running invocation
    assertThat(a.pp.appliedLeader()).containsExactly(2, 2);

    // what a's attempts still append under its old epoch is fenced on every replica
    long fencedBefore = b.pp.fencedRecords();
    a.appender.append(
        0,
        Envelope.newBuilder()
            .setTimerFired(
                TimerFired.newBuilder()
                    .setTimerKey(
                        com.google.protobuf.ByteString.copyFrom(
                            "k", java.nio.charset.StandardCharsets.UTF_8)))
            .build());
    // and a client's record that a appends is not
    a.appender.forClients().append(0, invoke(2, 0));
    settle(a, b);
    assertThat(b.pp.fencedRecords()).isEqualTo(fencedBefore + 1);
    assertThat(a.pp.fencedRecords()).isEqualTo(b.pp.fencedRecords());
    assertThat(b.invoker.started).hasSize(2);
    assertThat(a.invoker.started).hasSize(1);
  }

  @Test
  void aSteppedDownNodeStopsAtOnceAndClaimsAgainUnderAHigherEpoch() {
    Node a = new Node(1);
    Node b = new Node(2);
    a.pp.claim();
    settle(a, b);
    a.pp.stepDown();
    assertThat(a.pp.isLeader()).isFalse();
    assertThat(a.invoker.partitionAborts).isEqualTo(1);
    b.appender.forClients().append(0, invoke(1, 0));
    settle(a, b);
    assertThat(a.invoker.started).isEmpty(); // nobody leads: applied, not run
    a.pp.claim();
    settle(a, b);
    assertThat(a.pp.isLeader()).isTrue();
    assertThat(a.pp.appliedLeader()).containsExactly(2, 1);
    assertThat(a.invoker.started).hasSize(1); // re-driven by the new epoch's ResumeAll
  }

  @Test
  void clusterWaiterIdsNameTheirNodeAndNeverRepeatAcrossNodesOrRestarts() {
    Replies one = Replies.forNode(1, 5_000);
    Replies two = Replies.forNode(2, 5_000);
    long a = one.register(new CompletableFuture<>());
    long b = two.register(new CompletableFuture<>());
    assertThat(a >>> Replies.NODE_SHIFT).isEqualTo(1);
    assertThat(b >>> Replies.NODE_SHIFT).isEqualTo(2);
    assertThat(a).isNotEqualTo(b);
    // a waiter of node 2 is never answered by node 1's apply
    CompletableFuture<Answer> f = new CompletableFuture<>();
    long id = two.register(f);
    one.complete(id, Answer.Done.INSTANCE);
    assertThat(f).isNotDone();
    two.complete(id, Answer.Done.INSTANCE);
    assertThat(f).isDone();
    // a restart a millisecond later starts above the ids of the run before
    Replies restarted = Replies.forNode(1, 5_000 + 1_000);
    assertThat(restarted.register(new CompletableFuture<>())).isGreaterThan(a);
  }
}
