package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.log.Log;
import dev.resolute.server.log.MemoryLog;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.storage.MemoryStore;
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
 * What a log that fences leaders itself (Kafka with transactional fencing) is told: a claim opens
 * the partition's leader session before the announcement, which goes through it, as does every
 * record the leader decides itself; what a client asked for (and outbox messages) is appended as an
 * ordinary record, never through the session.
 */
class LeaderSessionTest {
  final MemoryLog memory = new MemoryLog(1);
  final ScheduledExecutorService timers = new ScheduledThreadPoolExecutor(1);

  @AfterEach
  void stop() {
    timers.shutdownNow();
  }

  /** A node's log view that notes each call: "session:p", "leader:TYPE", "client:TYPE". */
  static final class RecordingLog implements Log {
    final Log inner;
    final List<String> calls = new ArrayList<>();

    RecordingLog(Log inner) {
      this.inner = inner;
    }

    static String type(byte[] payload) {
      try {
        return Envelope.parseFrom(payload).getRecordCase().name();
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public synchronized CompletableFuture<Long> append(int partition, byte[] payload) {
      calls.add("client:" + type(payload));
      return inner.append(partition, payload);
    }

    @Override
    public synchronized CompletableFuture<Long> appendAll(int partition, List<byte[]> payloads) {
      payloads.forEach(p -> calls.add("client:" + type(p)));
      return inner.appendAll(partition, payloads);
    }

    @Override
    public synchronized CompletableFuture<Long> appendAsLeader(
        int partition, List<byte[]> payloads) {
      payloads.forEach(p -> calls.add("leader:" + type(p)));
      return inner.appendAll(partition, payloads);
    }

    @Override
    public synchronized void openLeaderSession(int partition) {
      calls.add("session:" + partition);
    }

    @Override
    public void replay(long[] appliedLsn, RecordConsumer consumer) {
      inner.replay(appliedLsn, consumer);
    }

    @Override
    public void subscribe(int partition, RecordConsumer consumer) {
      inner.subscribe(partition, consumer);
    }

    @Override
    public void close() {}
  }

  @Test
  void aClaimOpensTheSessionFirstAndOnlyTheLeadersOwnRecordsGoThroughIt() {
    MemoryLog.View view = memory.view(1);
    RecordingLog log = new RecordingLog(view);
    Appender appender =
        new Appender(log, Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC), 1);
    PartitionProcessor pp =
        new PartitionProcessor(
            0,
            new Partitioning(1),
            new MemoryStore(),
            appender,
            new ClusterLeadershipTest.RecordingInvoker(),
            Replies.forNode(1, 1_000_000_000L),
            timers,
            Runnable::run);
    view.replay(new long[] {0}, (p, l, r) -> pp.replay(l, r));
    view.subscribe(0, pp::onCommitted);
    pp.follow();

    pp.claim();
    assertThat(log.calls).containsExactly("session:0", "leader:ANNOUNCE_LEADER");
    for (int i = 0; i < 5; i++) {
      memory.commitAll();
      view.deliver(Integer.MAX_VALUE);
    }
    assertThat(pp.isLeader()).isTrue();
    // its start: ResumeAll, the leader's own record
    assertThat(log.calls).contains("leader:RESUME_ALL");

    log.calls.clear();
    appender.forClients().append(0, ClusterLeadershipTest.invoke(1, 7));
    assertThat(log.calls).containsExactly("client:INVOKE");
  }
}
