package dev.resolute.server.cluster.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, before the node opens its store: a node whose store is empty (a new node, or a lost
 * disk), or whose applied LSN of some partition lies below the log's start (it was down while the
 * log was trimmed past it), restores the latest snapshot that covers the log's start into its store
 * directory. The node then replays the log from the snapshot's LSNs like after any restart and only
 * then follows; a partition it is assigned is led only once its leader announcement is applied, so
 * a restored node never serves a partition before the tail is replayed.
 *
 * <p>The restore is crash-safe: files go to {@code <db>.restoring} first, the old store is deleted,
 * and the directory is renamed into place; a crash before the rename leaves no store (or the old
 * one), so the next start restores again.
 */
public final class SnapshotRestore {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotRestore.class);

  private SnapshotRestore() {}

  /**
   * Restores into {@code db} when it needs it (see the class comment). Returns the snapshot
   * restored, or null when the store is kept (or is empty and the log was never trimmed, and the
   * repository has no snapshot: the node replays the whole log).
   *
   * @param logStart per partition, the LSN the log starts after ({@code KafkaLog.startLsns})
   * @param appliedOf the applied LSNs of the store in a directory (opened as the node opens it, so
   *     a store held by another process is refused before anything is replaced)
   */
  public static SnapshotManifest ifNeeded(
      Path db,
      Snapshots snapshots,
      String topic,
      int partitions,
      long[] logStart,
      Function<Path, long[]> appliedOf)
      throws IOException {
    Path restoring = db.resolveSibling(db.getFileName() + ".restoring");
    Snapshotter.deleteTree(restoring);
    boolean empty = !Files.exists(db.resolve("CURRENT"));
    String why;
    if (empty) {
      why = "the store is empty";
    } else {
      long[] applied = appliedOf.apply(db);
      int behind = -1;
      for (int p = 0; p < partitions && p < applied.length; p++) {
        if (applied[p] < logStart[p]) {
          behind = p;
          break;
        }
      }
      if (behind < 0) {
        return null;
      }
      why =
          "partition "
              + behind
              + " applied up to LSN "
              + applied[behind]
              + " but the log was trimmed up to LSN "
              + logStart[behind];
    }
    SnapshotManifest m = snapshots.latestRestorable(topic, partitions, logStart);
    if (m == null) {
      if (empty && Arrays.stream(logStart).allMatch(l -> l == 0)) {
        LOG.info(
            "the store is empty and {} has no snapshot: the whole log is replayed",
            snapshots.repository());
        return null;
      }
      throw new IllegalStateException(
          "cannot start: "
              + why
              + ", and "
              + snapshots.repository()
              + " has no snapshot of topic "
              + topic
              + " covering the log's start "
              + Arrays.toString(logStart));
    }
    long t0 = System.nanoTime();
    LOG.info("{}: restoring {} from {}", why, m, snapshots.repository());
    snapshots.download(m, restoring);
    Snapshotter.deleteTree(db);
    Files.move(restoring, db, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    LOG.info(
        "restored {} in {} ms; the log is replayed from its LSNs",
        m,
        (System.nanoTime() - t0) / 1_000_000);
    return m;
  }
}
