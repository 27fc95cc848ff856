package dev.resolute.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.log.LocalLog;
import dev.resolute.server.partition.Appender;
import dev.resolute.server.partition.Effect;
import dev.resolute.server.partition.InvokerPort;
import dev.resolute.server.partition.PartitionProcessor;
import dev.resolute.server.partition.Partitioning;
import dev.resolute.server.partition.Replies;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.TruncateOutbox;
import dev.resolute.server.storage.RocksStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trimmer on a real log (4 KiB segments) and a real RocksDB, two partitions of which only one
 * gets traffic: the idle one is moved along by the trimmer's markers, so every closed segment goes,
 * and after a reopen both partitions' applied LSNs are at or past the log's first LSN - 1.
 */
@Timeout(60)
class LogTrimmerTest {
  @TempDir Path dir;

  static final InvokerPort NO_INVOKER =
      new InvokerPort() {
        @Override
        public void start(int partition, Effect.StartAttempt attempt) {}

        @Override
        public void forward(InvocationId id, int attempt, JournalEntry entry) {}

        @Override
        public void abort(InvocationId id) {}
      };

  @Test
  void anIdlePartitionDoesNotHoldBackTrimmingAndNothingUnappliedIsDeleted() throws Exception {
    RocksStore store = RocksStore.open(dir.resolve("db"));
    LocalLog log = LocalLog.open(dir.resolve("log"), 2, 4096);
    log.awaitNextSegment(); // the first records in a segment of 4096 bytes, not a short first one
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Appender appender = new Appender(log, Clock.systemUTC());
    PartitionProcessor[] pp = new PartitionProcessor[2];
    for (int p = 0; p < 2; p++) {
      pp[p] =
          new PartitionProcessor(
              p, new Partitioning(2), store, appender, NO_INVOKER, new Replies(), timers, pool);
      log.subscribe(p, pp[p]::onCommitted);
    }
    for (PartitionProcessor p : pp) {
      p.lead(); // one ResumeAll each: partition 1 sees nothing after that
    }
    byte[] rec =
        Envelope.newBuilder()
            .setTimestampMillis(1)
            .setTruncateOutbox(TruncateOutbox.newBuilder().setUpToSeq(0))
            .build()
            .toByteArray();
    long last = 0;
    for (int i = 0; i < 30; i++) {
      List<byte[]> group = new ArrayList<>();
      for (int j = 0; j < 100; j++) {
        group.add(rec);
      }
      last = log.appendAll(0, group).get();
    }
    long end = last;
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> PartitionProcessor.appliedLsn(store, 0) == end);
    int before = log.segmentCount();
    assertThat(before).isGreaterThan(3);
    long idleApplied = PartitionProcessor.appliedLsn(store, 1);
    assertThat(idleApplied).isLessThan(10);

    LogTrimmer trimmer = new LogTrimmer(log, store, pp);
    // the idle partition's applied LSN holds the first round back; the round's marker moves it to
    // the log's delivered position once it has applied what it was handed
    assertThat(trimmer.trimOnce()).isZero();
    assertThat(log.firstLsn()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> PartitionProcessor.appliedLsn(store, 1) >= end);
    assertThat(trimmer.trimOnce()).isEqualTo(before - 1);
    assertThat(log.segmentCount()).isEqualTo(1);
    long first = log.firstLsn();
    assertThat(first).isGreaterThan(1).isLessThanOrEqualTo(end);

    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    timers.shutdownNow();
    log.close();
    store.close();

    RocksStore store2 = RocksStore.open(dir.resolve("db"));
    LocalLog log2 = LocalLog.open(dir.resolve("log"), 2, 4096);
    try {
      assertThat(log2.firstLsn()).isEqualTo(first);
      for (int p = 0; p < 2; p++) {
        assertThat(PartitionProcessor.appliedLsn(store2, p))
            .as("partition %d", p)
            .isGreaterThanOrEqualTo(first - 1);
      }
      List<Long> replayed = new ArrayList<>();
      log2.replay(
          new long[] {
            PartitionProcessor.appliedLsn(store2, 0), PartitionProcessor.appliedLsn(store2, 1)
          },
          (p, lsn, payload) -> replayed.add(lsn));
      assertThat(replayed).isEmpty();
    } finally {
      log2.close();
      store2.close();
    }
  }

  /**
   * Store checkpoints bound the replay after a crash: 5000 records, a checkpoint due every 500, the
   * store then closed as a SIGKILL leaves it (memtables lost). With checkpoints a reopen replays at
   * most about two checkpoints' worth; without them (the control) it replays every record, since
   * nothing else flushed the store.
   */
  @Test
  void checkpointsBoundTheReplayAfterACrash() throws Exception {
    int bound = 500;
    assertThat(replayedAfterCrash(dir.resolve("with"), bound)).isLessThanOrEqualTo(2 * bound + 100);
    assertThat(replayedAfterCrash(dir.resolve("without"), 0)).isGreaterThanOrEqualTo(5000);
  }

  /** Appends 5000 records in groups of 100 (a checkpoint check after each), crashes, reopens. */
  private int replayedAfterCrash(Path dir, long checkpointRecords) throws Exception {
    RocksStore store = RocksStore.open(dir.resolve("db"));
    LocalLog log = LocalLog.open(dir.resolve("log"), 2, 1 << 20);
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Appender appender = new Appender(log, Clock.systemUTC());
    PartitionProcessor[] pp = new PartitionProcessor[2];
    for (int p = 0; p < 2; p++) {
      pp[p] =
          new PartitionProcessor(
              p, new Partitioning(2), store, appender, NO_INVOKER, new Replies(), timers, pool);
      log.subscribe(p, pp[p]::onCommitted);
    }
    for (PartitionProcessor p : pp) {
      p.lead();
    }
    LogTrimmer trimmer = new LogTrimmer(log, store, pp, checkpointRecords, Duration.ofHours(1));
    byte[] rec =
        Envelope.newBuilder()
            .setTimestampMillis(1)
            .setTruncateOutbox(TruncateOutbox.newBuilder().setUpToSeq(0))
            .build()
            .toByteArray();
    long last = 0;
    for (int i = 0; i < 50; i++) {
      List<byte[]> group = new ArrayList<>();
      for (int j = 0; j < 100; j++) {
        group.add(rec);
      }
      last = log.appendAll(0, group).get();
      long end = last;
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(2))
          .until(() -> PartitionProcessor.appliedLsn(store, 0) == end);
      trimmer.checkpointOnce(System.nanoTime());
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    timers.shutdownNow();
    log.close();
    store.closeAsIfCrashed();

    RocksStore reopened = RocksStore.open(dir.resolve("db"));
    LocalLog relog = LocalLog.open(dir.resolve("log"), 2, 1 << 20);
    try {
      long[] applied = {
        PartitionProcessor.appliedLsn(reopened, 0), PartitionProcessor.appliedLsn(reopened, 1)
      };
      int[] replayed = new int[1];
      relog.replay(applied, (p, lsn, payload) -> replayed[0]++);
      return replayed[0];
    } finally {
      relog.close();
      reopened.close();
    }
  }
}
