package dev.resolute.server;

import dev.resolute.server.log.LocalLog;
import dev.resolute.server.partition.PartitionProcessor;
import dev.resolute.server.storage.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes log segments that no partition needs any more, off the hot path (its own thread, every
 * few seconds). A segment may go once every partition has applied all of its records <b>and</b>
 * those applications are durable in the store, whose batches are written without a WAL. One round:
 *
 * <ol>
 *   <li>read every partition's applied LSN (each is written in the same batch as the effects of
 *       applying up to it), and take the minimum;
 *   <li>if a closed segment lies wholly at or below it, flush the store — this makes durable every
 *       batch committed before the flush, so the applied LSNs just read and everything applied up
 *       to them — and only then delete those segments (oldest first);
 *   <li>ask every partition to advance its applied LSN to the log's delivered position once it has
 *       applied what it was handed, so that a partition without traffic does not hold back the next
 *       round.
 * </ol>
 *
 * <p>The order of 1 and 2 matters: applied LSNs read after the flush could include batches the
 * flush did not cover. Invariant kept: after a crash at any point, every partition's durable
 * applied LSN is at least the last LSN of every deleted segment, so replay never needs a deleted
 * record ({@link ResoluteServer} refuses to start otherwise).
 *
 * <p>A log stopped for writes after a failed write or fsync ({@link LocalLog}'s fail-stop) is still
 * trimmed: the closed segments a round deletes hold only records every partition applied durably,
 * and the stop only removes the never-acknowledged tail of the segment being written, which
 * trimming never touches. A round whose store flush fails (a full disk) deletes nothing.
 *
 * <p><b>Checkpoints: bounded replay.</b> The same thread also flushes the store often enough that a
 * restart after a crash replays a short log tail whatever the history ({@link #checkpointOnce}):
 * once {@code checkpointRecords} records were committed since the last flush, or {@code
 * checkpointInterval} has passed and any record was, it flushes the store and then queues the same
 * markers as step 3. The markers make every partition's applied LSN reach the log's delivered
 * position (read before the flush), and the next flush makes that durable. So after a crash every
 * partition's durable applied LSN is at least the delivered position read before the flush before
 * the last one, and replay applies at most about {@code 2 × checkpointRecords} records plus those
 * not yet applied when the node died. A flush takes a RocksDB memtable to an SST file in the
 * background; writes go on into a new memtable meanwhile, so the apply threads never wait for it. A
 * failed flush (a full disk) is logged and retried at the next check; nothing depends on it but the
 * length of the next replay.
 */
final class LogTrimmer {
  private static final Logger LOG = LoggerFactory.getLogger(LogTrimmer.class);

  private final LocalLog log;
  private final Store store;
  private final PartitionProcessor[] partitions;
  private final long checkpointRecords;
  private final long checkpointNanos;

  /** The log's delivered position read before the last flush (checkpoint or trim). */
  private long flushedDelivered;

  /** When the last flush began ({@link System#nanoTime()}). */
  private long flushedAt;

  /** Checkpoints done, and the last one's failure if it failed (for the log line only). */
  private long checkpoints;

  private boolean checkpointFailing;

  LogTrimmer(LocalLog log, Store store, PartitionProcessor[] partitions) {
    this(log, store, partitions, 0, java.time.Duration.ofSeconds(5));
  }

  /**
   * @param checkpointRecords flush the store once this many records were committed since the last
   *     flush; 0 turns checkpoints off
   * @param checkpointInterval ... or once this long passed and any record was committed
   */
  LogTrimmer(
      LocalLog log,
      Store store,
      PartitionProcessor[] partitions,
      long checkpointRecords,
      java.time.Duration checkpointInterval) {
    this.log = log;
    this.store = store;
    this.partitions = partitions;
    this.checkpointRecords = checkpointRecords;
    this.checkpointNanos = checkpointInterval.toNanos();
    this.flushedDelivered = log.deliveredUpTo(); // replay at start applied everything up to here
    this.flushedAt = System.nanoTime();
  }

  /**
   * Flushes the store if a checkpoint is due (see the class comment): {@code checkpointRecords}
   * records committed since the last flush, or any record and {@code checkpointInterval} elapsed.
   * Then queues the markers that move every partition's applied LSN to what was delivered before
   * the flush, for the next flush to make durable. Returns whether it flushed.
   */
  boolean checkpointOnce(long nowNanos) {
    if (checkpointRecords <= 0) {
      return false;
    }
    long delivered = log.deliveredUpTo();
    long since = delivered - flushedDelivered;
    if (since <= 0 || (since < checkpointRecords && nowNanos - flushedAt < checkpointNanos)) {
      return false;
    }
    long t0 = System.nanoTime();
    try {
      store.flush();
    } catch (RuntimeException e) {
      if (!checkpointFailing) {
        LOG.warn("store checkpoint failed; retrying at the next check: {}", e.toString());
      }
      checkpointFailing = true;
      return false;
    }
    checkpointFailing = false;
    flushedDelivered = delivered;
    flushedAt = nowNanos;
    if (++checkpoints % 100 == 1) {
      LOG.info(
          "store checkpoint {}: flushed in {} ms after {} records (up to lsn {})",
          checkpoints,
          (System.nanoTime() - t0) / 1_000_000,
          since,
          delivered);
    }
    for (PartitionProcessor pp : partitions) {
      pp.advanceAppliedTo(delivered);
    }
    return true;
  }

  /** The scheduled form of {@link #checkpointOnce}: a failure is logged, the next check retries. */
  void checkpoint() {
    try {
      checkpointOnce(System.nanoTime());
    } catch (RuntimeException e) {
      LOG.warn("store checkpoint failed; retrying at the next check", e);
    }
  }

  /** One round; returns the number of segments deleted. */
  int trimOnce() {
    if (log.segmentCount() < 2) {
      return 0; // only the segment being written: nothing can go, and an idle node stays idle
    }
    long minApplied = Long.MAX_VALUE;
    for (int p = 0; p < partitions.length; p++) {
      minApplied = Math.min(minApplied, PartitionProcessor.appliedLsn(store, p));
    }
    int deleted = 0;
    long upTo = log.trimmableUpTo(minApplied);
    if (upTo > 0) {
      long t0 = System.nanoTime();
      long deliveredBefore = log.deliveredUpTo();
      store.flush();
      flushedDelivered = Math.max(flushedDelivered, deliveredBefore);
      flushedAt = t0;
      deleted = log.trim(upTo);
      LOG.info(
          "log trimmed: {} segments up to lsn {} deleted (store flushed in {} ms); the log starts at lsn {}",
          deleted,
          upTo,
          (System.nanoTime() - t0) / 1_000_000,
          log.firstLsn());
    }
    long delivered = log.deliveredUpTo();
    for (PartitionProcessor pp : partitions) {
      pp.advanceAppliedTo(delivered);
    }
    return deleted;
  }

  /** The scheduled form: a failure is logged and the next round tries again. */
  void run() {
    try {
      trimOnce();
    } catch (RuntimeException e) {
      LOG.warn("log trimming failed; retrying at the next round", e);
    }
  }
}
