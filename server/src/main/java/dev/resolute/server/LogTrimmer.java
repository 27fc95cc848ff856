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
 */
final class LogTrimmer {
  private static final Logger LOG = LoggerFactory.getLogger(LogTrimmer.class);

  private final LocalLog log;
  private final Store store;
  private final PartitionProcessor[] partitions;

  LogTrimmer(LocalLog log, Store store, PartitionProcessor[] partitions) {
    this.log = log;
    this.store = store;
    this.partitions = partitions;
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
      store.flush();
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
