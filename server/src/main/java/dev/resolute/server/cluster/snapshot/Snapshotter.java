package dev.resolute.server.cluster.snapshot;

import dev.resolute.server.config.SnapshotsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes snapshots of the node's store while this node is the cluster's snapshot writer (the leader
 * of partition 0: one writer at a time but during a leadership change), keeps {@code num-retained}
 * of them and then trims the log topic below the oldest kept.
 *
 * <p>Order, and why it is safe: (1) a RocksDB checkpoint of the store, whose own applied LSNs are
 * the position it covers; (2) every file, then the manifest, to the repository — the snapshot is
 * durable there once the manifest is; (3) older snapshots deleted down to {@code num-retained}; (4)
 * the log trimmed below the lowest LSN of the snapshots kept, per partition. A crash between any
 * two steps leaves the log at least as long as the snapshots in the repository need: trimming only
 * ever follows a durable manifest, and only up to positions every kept snapshot covers. A failed
 * step is retried at the next due check, from step 1.
 */
public final class Snapshotter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

  /** How often the writer checks whether a snapshot is due. */
  static final long CHECK_MILLIS = 1000;

  /** After a failed snapshot, the next attempt waits at least this long. */
  static final long RETRY_MILLIS = 10_000;

  /** What the snapshotter needs from its node. */
  public interface Node {
    /** Whether this node writes snapshots now. */
    boolean writer();

    /** Each partition's applied LSN now. */
    long[] applied();

    /** A checkpoint of the store into {@code dir} (not existing yet). */
    void checkpoint(Path dir);

    /** The applied LSNs of the checkpoint in {@code dir}. */
    long[] appliedIn(Path dir);

    /** Trims the log below these LSNs (per partition). */
    void trimTo(long[] lsns);
  }

  private final Snapshots snapshots;
  private final SnapshotsConfig config;
  private final Node node;
  private final String topic;
  private final int nodeId;
  private final Path work;
  private final Clock clock;
  private ScheduledExecutorService thread;

  private long[] lastLsns;
  private long lastAtMillis;
  private long notBeforeMillis;

  public Snapshotter(
      Snapshots snapshots,
      SnapshotsConfig config,
      Node node,
      String topic,
      int nodeId,
      Path work,
      Clock clock) {
    this.snapshots = snapshots;
    this.config = config;
    this.node = node;
    this.topic = topic;
    this.nodeId = nodeId;
    this.work = work;
    this.clock = clock;
    this.lastAtMillis = clock.millis();
  }

  /** Checks every second on a thread of its own (only when snapshots are automatic). */
  public void start() {
    thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "snapshots");
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(
        () -> {
          try {
            maybeSnapshot();
          } catch (RuntimeException e) {
            LOG.warn("snapshot check failed", e);
          }
        },
        CHECK_MILLIS,
        CHECK_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /** Takes a snapshot if this node is the writer and one is due. Returns it, or null. */
  public SnapshotManifest maybeSnapshot() {
    if (!node.writer()) {
      return null;
    }
    long now = clock.millis();
    if (now < notBeforeMillis) {
      return null;
    }
    long[] applied = node.applied();
    if (lastLsns == null) {
      try {
        List<SnapshotManifest> all = snapshots.list();
        lastLsns = all.isEmpty() ? new long[applied.length] : all.get(all.size() - 1).appliedLsns();
        if (!all.isEmpty()) {
          lastAtMillis = Math.min(now, all.get(all.size() - 1).createdAtMillis());
        }
      } catch (IOException e) {
        LOG.warn(
            "cannot list the snapshot repository {}: {}", snapshots.repository(), e.toString());
        notBeforeMillis = now + RETRY_MILLIS;
        return null;
      }
    }
    if (!due(applied, now)) {
      return null;
    }
    try {
      return snapshot(now);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "snapshot to {} failed; taken again in {} s at the earliest: {}",
          snapshots.repository(),
          RETRY_MILLIS / 1000,
          e.toString());
      notBeforeMillis = now + RETRY_MILLIS;
      return null;
    }
  }

  boolean due(long[] applied, long now) {
    boolean progress = false;
    boolean records = config.intervalNumRecords() == null;
    for (int p = 0; p < applied.length; p++) {
      long last = p < lastLsns.length ? lastLsns[p] : 0;
      progress |= applied[p] > last;
      if (config.intervalNumRecords() != null && applied[p] - last >= config.intervalNumRecords()) {
        records = true;
      }
    }
    boolean time = config.interval() == null || now - lastAtMillis >= config.interval().toMillis();
    return progress && records && time && config.automatic();
  }

  /** Takes, publishes and retains a snapshot, then trims the log (see the class comment). */
  public SnapshotManifest snapshot(long now) throws IOException {
    String id = SnapshotManifest.newId(now, nodeId);
    Files.createDirectories(work);
    Path dir = work.resolve(id);
    deleteTree(dir);
    try {
      long t0 = System.nanoTime();
      node.checkpoint(dir);
      long[] lsns = node.appliedIn(dir);
      SnapshotManifest m = snapshots.publish(dir, id, topic, nodeId, now, lsns);
      List<SnapshotManifest> kept = snapshots.retain(config.numRetained(), now);
      lastLsns = lsns;
      lastAtMillis = now;
      LOG.info(
          "published {} to {} in {} ms",
          m,
          snapshots.repository(),
          (System.nanoTime() - t0) / 1_000_000);
      long[] trim = Snapshots.trimPoint(kept);
      if (trim != null) {
        node.trimTo(trim);
        LOG.info(
            "log trimmed below LSNs {} (the oldest of {} snapshots kept)",
            Arrays.toString(trim),
            kept.size());
      }
      return m;
    } finally {
      deleteTree(dir);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.shutdownNow();
      try {
        thread.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
