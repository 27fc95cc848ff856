package dev.resolute.server.partition;

import dev.resolute.server.log.Log;
import dev.resolute.server.storage.Store;

/**
 * Where a cold follower's partition catches up from before it is applied again (cluster mode with
 * {@code cluster.warm-followers = false}, see {@link PartitionProcessor#coldFollower}): the log and
 * the snapshot repository. Called on the catch-up executor, never on the partition's actor or the
 * log's tailer; every call may block on I/O.
 */
public interface CatchUpSource {
  /** The LSN the partition's log starts after: records up to it were trimmed (0: none). */
  long logStart(int partition);

  /**
   * The LSN of the partition's last committed record now: every record acknowledged before the call
   * is at or below it.
   */
  long end(int partition);

  /** Delivers the partition's records with LSNs in {@code (after, upTo]}, in order. */
  void read(int partition, long after, long upTo, Log.RecordConsumer consumer);

  /**
   * Replaces the partition's keys in {@code store} by those of the newest snapshot whose LSN for
   * the partition is at or above {@code atLeast} (see {@code storage.PartitionCopy}); returns that
   * LSN. Throws when there is none.
   */
  long restore(int partition, Store store, long atLeast);
}
