package dev.resolute.server.cluster;

import dev.resolute.server.cluster.snapshot.SnapshotManifest;
import dev.resolute.server.cluster.snapshot.Snapshots;
import dev.resolute.server.log.KafkaLog;
import dev.resolute.server.log.Log;
import dev.resolute.server.partition.CatchUpSource;
import dev.resolute.server.partition.PartitionProcessor;
import dev.resolute.server.storage.PartitionCopy;
import dev.resolute.server.storage.RocksStore;
import dev.resolute.server.storage.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode with {@code cluster.warm-followers = false}: where a cold partition catches up from
 * (the log topic and the snapshot repository, see {@code PartitionProcessor.coldFollower}), and
 * reads that must see every partition current ({@link #holdAll}: SQL, the schedule list, the rule
 * book, a snapshot).
 */
public final class ColdFollowers implements CatchUpSource {
  private static final Logger LOG = LoggerFactory.getLogger(ColdFollowers.class);
  private static final Duration ENDS_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaLog log;
  private final Snapshots snapshots; // null: no repository
  private final String topic;
  private final int partitions;
  private final Path work;

  /** The snapshot downloaded last (reused while partitions restore from the same one). */
  private String downloadedId;

  private Path downloaded;

  public ColdFollowers(KafkaLog log, Snapshots snapshots, String topic, int partitions, Path work) {
    this.log = log;
    this.snapshots = snapshots;
    this.topic = topic;
    this.partitions = partitions;
    this.work = work;
  }

  @Override
  public long logStart(int partition) {
    return log.startLsns()[partition];
  }

  @Override
  public long end(int partition) {
    return log.endLsns(ENDS_TIMEOUT)[partition];
  }

  @Override
  public void read(int partition, long after, long upTo, Log.RecordConsumer consumer) {
    log.read(partition, after, upTo, consumer);
  }

  @Override
  public synchronized long restore(int partition, Store store, long atLeast) {
    if (snapshots == null) {
      throw new IllegalStateException(
          "partition "
              + partition
              + " must be restored from a snapshot (the log was trimmed past it), and no"
              + " worker.snapshots.destination is configured");
    }
    try {
      SnapshotManifest m = snapshots.latestCovering(topic, partitions, partition, atLeast);
      if (m == null) {
        throw new IllegalStateException(
            "partition "
                + partition
                + ": "
                + snapshots.repository()
                + " has no snapshot covering LSN "
                + atLeast);
      }
      if (!m.id().equals(downloadedId)) {
        if (downloaded != null) {
          deleteTree(downloaded);
          downloaded = null;
          downloadedId = null;
        }
        Path dir = work.resolve("cold-" + m.id());
        deleteTree(dir);
        snapshots.download(m, dir);
        downloaded = dir;
        downloadedId = m.id();
      }
      try (RocksStore ro = RocksStore.openReadOnly(downloaded);
          Store.Reader read = ro.reader()) {
        long keys = PartitionCopy.replace(read, store, partition);
        long lsn = PartitionProcessor.appliedLsn(ro, partition);
        LOG.info("partition {}: {} keys restored from {} (LSN {})", partition, keys, m.id(), lsn);
        return lsn;
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "partition " + partition + ": cannot restore from " + snapshots.repository(), e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Holds every partition (see {@code PartitionProcessor.hold}) until each is caught up, then lets
   * {@code barrier} wait until this node applied what the log held when it was called, then
   * releases them: a read opened afterwards sees every partition at least that current (a partition
   * that goes cold again keeps what it applied). Returns whether everything caught up within {@code
   * timeout}.
   */
  public static boolean holdAll(
      PartitionProcessor[] processors, ReadBarrier barrier, Duration timeout) {
    List<CompletableFuture<Void>> held = new ArrayList<>(processors.length);
    try {
      for (PartitionProcessor p : processors) {
        held.add(p.hold());
      }
      CompletableFuture.allOf(held.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return barrier == null || barrier.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("a read could not catch every partition up: {}", e.toString());
      return false;
    } finally {
      for (int i = 0; i < held.size(); i++) {
        processors[i].release();
      }
    }
  }
}
