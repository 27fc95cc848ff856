package dev.resolute.server.cluster.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots in a {@link SnapshotRepository}: {@code snapshots/<id>/data/<file>} for the files of a
 * RocksDB checkpoint and {@code snapshots/<id>/manifest.json} ({@link SnapshotManifest}).
 *
 * <p><b>The manifest rule.</b> A snapshot is published by writing every data file first and the
 * manifest last, so a snapshot whose writer died half-way has no manifest and is never listed,
 * restored or counted for trimming. A reader also checks that every file the manifest names is
 * there with its size before it restores (a manifest never points at a missing file: retention
 * deletes the manifest before the files, but two writers during a leadership change could race).
 * Retention deletes in the opposite order: manifest first (the snapshot is gone at once), then the
 * files.
 */
public final class Snapshots implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);
  static final String ROOT = "snapshots/";
  static final String MANIFEST = "manifest.json";

  /** Files of a snapshot without a manifest are deleted once they are this old (a dead writer). */
  static final long ABANDONED_AFTER_MILLIS = 10 * 60 * 1000;

  private final SnapshotRepository repository;

  public Snapshots(SnapshotRepository repository) {
    this.repository = repository;
  }

  public SnapshotRepository repository() {
    return repository;
  }

  private static String dir(String id) {
    return ROOT + id + "/";
  }

  /**
   * Publishes the checkpoint in {@code checkpoint} (a flat directory of files): every file, then
   * the manifest. Returns the manifest written. Durable in the repository once this returns.
   */
  public SnapshotManifest publish(
      Path checkpoint,
      String id,
      String topic,
      int nodeId,
      long createdAtMillis,
      long[] appliedLsns)
      throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(checkpoint)) {
      // RocksDB's info logs (LOG, LOG.old.*) are not part of the store
      files =
          s.filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().startsWith("LOG"))
              .sorted()
              .toList();
    }
    List<SnapshotManifest.FileEntry> entries = new ArrayList<>();
    for (Path f : files) {
      String name = f.getFileName().toString();
      repository.put(dir(id) + "data/" + name, f);
      entries.add(new SnapshotManifest.FileEntry(name, Files.size(f)));
    }
    SnapshotManifest m =
        new SnapshotManifest(
            id,
            topic,
            appliedLsns.length,
            nodeId,
            createdAtMillis,
            appliedLsns.clone(),
            List.copyOf(entries));
    repository.put(dir(id) + MANIFEST, m.toJson());
    return m;
  }

  /** Every complete snapshot (one with a manifest), oldest first. */
  public List<SnapshotManifest> list() throws IOException {
    List<SnapshotManifest> out = new ArrayList<>();
    for (Map.Entry<String, Boolean> e : ids().entrySet()) {
      String id = e.getKey();
      if (!e.getValue()) {
        continue;
      }
      byte[] json = repository.get(dir(id) + MANIFEST);
      if (json == null) {
        continue; // deleted meanwhile
      }
      try {
        SnapshotManifest m = SnapshotManifest.parse(json);
        if (!m.id().equals(id)) {
          LOG.warn("snapshot {}: its manifest names {}; ignored", id, m.id());
          continue;
        }
        out.add(m);
      } catch (IOException bad) {
        LOG.warn("snapshot {}: unreadable manifest, ignored: {}", id, bad.getMessage());
      }
    }
    out.sort(Comparator.comparing(SnapshotManifest::id));
    return out;
  }

  /** Snapshot ids in the repository → whether each has a manifest, sorted by id. */
  private Map<String, Boolean> ids() throws IOException {
    Map<String, Boolean> ids = new TreeMap<>();
    for (String key : repository.list(ROOT)) {
      String rest = key.substring(ROOT.length());
      int slash = rest.indexOf('/');
      if (slash <= 0) {
        continue;
      }
      String id = rest.substring(0, slash);
      boolean manifest = rest.substring(slash + 1).equals(MANIFEST);
      ids.merge(id, manifest, Boolean::logicalOr);
    }
    return ids;
  }

  /**
   * The newest snapshot of {@code topic} with {@code partitions} partitions whose every file is in
   * the repository with its size and whose LSNs are all at or above {@code logStart} (the first LSN
   * the log still has, minus one, per partition: a node restoring it can replay the rest), or null.
   */
  public SnapshotManifest latestRestorable(String topic, int partitions, long[] logStart)
      throws IOException {
    List<SnapshotManifest> all = list();
    for (int i = all.size() - 1; i >= 0; i--) {
      SnapshotManifest m = all.get(i);
      if (!m.topic().equals(topic) || m.partitions() != partitions) {
        LOG.warn(
            "{} is of topic {} with {} partitions, this node has {} with {}; not restored",
            m,
            m.topic(),
            m.partitions(),
            topic,
            partitions);
        continue;
      }
      boolean covers = true;
      for (int p = 0; p < partitions; p++) {
        if (m.appliedLsns()[p] < logStart[p]) {
          covers = false;
        }
      }
      if (!covers) {
        LOG.warn("{} is older than the log's trim point; not restored", m);
        continue;
      }
      if (!filesPresent(m)) {
        LOG.warn("{} misses files in the repository; not restored", m);
        continue;
      }
      return m;
    }
    return null;
  }

  /**
   * The newest snapshot of {@code topic} with {@code partitions} partitions whose every file is in
   * the repository and whose LSN for {@code partition} is at or above {@code atLeast} (a cold
   * follower restoring that one partition, see {@code PartitionProcessor.coldFollower}), or null.
   */
  public SnapshotManifest latestCovering(String topic, int partitions, int partition, long atLeast)
      throws IOException {
    List<SnapshotManifest> all = list();
    for (int i = all.size() - 1; i >= 0; i--) {
      SnapshotManifest m = all.get(i);
      if (m.topic().equals(topic)
          && m.partitions() == partitions
          && m.appliedLsns()[partition] >= atLeast
          && filesPresent(m)) {
        return m;
      }
    }
    return null;
  }

  private boolean filesPresent(SnapshotManifest m) throws IOException {
    for (SnapshotManifest.FileEntry f : m.files()) {
      if (repository.size(dir(m.id()) + "data/" + f.name()) != f.size()) {
        return false;
      }
    }
    return true;
  }

  /** Copies the files of {@code m} into {@code target} (created; must not exist), sizes checked. */
  public void download(SnapshotManifest m, Path target) throws IOException {
    Files.createDirectories(target);
    for (SnapshotManifest.FileEntry f : m.files()) {
      Path to = target.resolve(f.name());
      repository.get(dir(m.id()) + "data/" + f.name(), to);
      long size = Files.size(to);
      if (size != f.size()) {
        throw new IOException(
            "snapshot " + m.id() + ": " + f.name() + " has " + size + " bytes, not " + f.size());
      }
    }
  }

  /**
   * Keeps the {@code numRetained} newest complete snapshots and deletes the others (manifest first,
   * then files), and the files of snapshots that never got a manifest and are older than {@link
   * #ABANDONED_AFTER_MILLIS}. Returns the snapshots kept, oldest first.
   */
  public List<SnapshotManifest> retain(int numRetained, long nowMillis) throws IOException {
    List<SnapshotManifest> all = list();
    int drop = Math.max(0, all.size() - numRetained);
    for (SnapshotManifest m : all.subList(0, drop)) {
      repository.delete(dir(m.id()) + MANIFEST);
      deleteFiles(m.id());
      LOG.info("deleted {} (num-retained {})", m, numRetained);
    }
    for (Map.Entry<String, Boolean> e : ids().entrySet()) {
      long at = SnapshotManifest.millisOf(e.getKey());
      if (!e.getValue() && at >= 0 && nowMillis - at > ABANDONED_AFTER_MILLIS) {
        deleteFiles(e.getKey());
        LOG.info("deleted the files of snapshot {}, abandoned without a manifest", e.getKey());
      }
    }
    return List.copyOf(all.subList(drop, all.size()));
  }

  private void deleteFiles(String id) throws IOException {
    for (String key : repository.list(dir(id))) {
      repository.delete(key);
    }
  }

  /**
   * Per partition, the lowest LSN among {@code kept}: the log may be trimmed below it (every kept
   * snapshot can still be restored and the log replayed after it). Null when none is kept.
   */
  public static long[] trimPoint(List<SnapshotManifest> kept) {
    if (kept.isEmpty()) {
      return null;
    }
    long[] out = kept.get(0).appliedLsns().clone();
    for (SnapshotManifest m : kept) {
      for (int p = 0; p < out.length && p < m.appliedLsns().length; p++) {
        out[p] = Math.min(out[p], m.appliedLsns()[p]);
      }
    }
    return out;
  }

  @Override
  public void close() {
    repository.close();
  }
}
