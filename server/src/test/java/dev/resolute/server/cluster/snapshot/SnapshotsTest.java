package dev.resolute.server.cluster.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.server.config.SnapshotsConfig;
import dev.resolute.server.partition.PartitionProcessor;
import dev.resolute.server.storage.Keys;
import dev.resolute.server.storage.RocksStore;
import dev.resolute.server.storage.Store;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot repository in a directory, the manifest rule, retention, the trim point, and the
 * restore decision, on real RocksDB checkpoints.
 */
class SnapshotsTest {
  static final String TOPIC = "t-log";
  @TempDir Path tmp;

  static void put(Store store, int partition, long lsn, String key, String value) {
    try (Store.Batch b = store.begin()) {
      b.put(
          Keys.of(partition, Keys.META).str("applied_lsn").build(),
          ByteBuffer.allocate(8).putLong(lsn).array());
      b.put(Keys.of(partition, (byte) 'x').str(key).build(), value.getBytes());
      b.commit();
    }
  }

  static String get(Store store, int partition, String key) {
    try (Store.Reader r = store.reader()) {
      byte[] v = r.get(Keys.of(partition, (byte) 'x').str(key).build());
      return v == null ? null : new String(v);
    }
  }

  /** A checkpoint of {@code store} published as snapshot {@code millis}. */
  SnapshotManifest publish(Snapshots s, RocksStore store, long millis) throws Exception {
    Path dir = tmp.resolve("cp-" + millis);
    store.checkpoint(dir);
    long[] lsns;
    try (RocksStore ro = RocksStore.openReadOnly(dir)) {
      lsns =
          new long[] {PartitionProcessor.appliedLsn(ro, 0), PartitionProcessor.appliedLsn(ro, 1)};
    }
    return s.publish(dir, SnapshotManifest.newId(millis, 1), TOPIC, 1, millis, lsns);
  }

  @Test
  void publishedSnapshotIsListedAndRestoresTheStoreWithItsLsns() throws Exception {
    Snapshots s = new Snapshots(new DirectoryRepository(tmp.resolve("repo")));
    try (RocksStore store = RocksStore.open(tmp.resolve("db"))) {
      put(store, 0, 5, "a", "1");
      put(store, 1, 7, "b", "2");
      SnapshotManifest m = publish(s, store, 1000);
      put(store, 0, 6, "a", "after"); // not in the snapshot
      assertThat(m.appliedLsns()).containsExactly(5, 7);
      assertThat(m.files()).isNotEmpty();
      assertThat(m.files()).noneMatch(f -> f.name().startsWith("LOG"));
    }
    assertThat(s.list())
        .extracting(SnapshotManifest::id)
        .containsExactly(SnapshotManifest.newId(1000, 1));
    SnapshotManifest latest = s.latestRestorable(TOPIC, 2, new long[] {0, 0});
    Path restored = tmp.resolve("restored");
    s.download(latest, restored);
    try (RocksStore r = RocksStore.open(restored)) {
      assertThat(PartitionProcessor.appliedLsn(r, 0)).isEqualTo(5);
      assertThat(PartitionProcessor.appliedLsn(r, 1)).isEqualTo(7);
      assertThat(get(r, 0, "a")).isEqualTo("1");
      assertThat(get(r, 1, "b")).isEqualTo("2");
    }
  }

  @Test
  void aSnapshotWithoutItsManifestIsNeverListedNorRestored() throws Exception {
    DirectoryRepository repo = new DirectoryRepository(tmp.resolve("repo"));
    Snapshots s = new Snapshots(repo);
    try (RocksStore store = RocksStore.open(tmp.resolve("db"))) {
      put(store, 0, 3, "a", "old");
      SnapshotManifest complete = publish(s, store, 1000);
      put(store, 0, 9, "a", "new");
      SnapshotManifest newer = publish(s, store, 2000);
      // the writer died before the manifest: remove it, as if it was never written
      repo.delete("snapshots/" + newer.id() + "/manifest.json");
      assertThat(s.list()).extracting(SnapshotManifest::id).containsExactly(complete.id());
      assertThat(s.latestRestorable(TOPIC, 2, new long[2]).id()).isEqualTo(complete.id());
      // a manifest whose files are not all there (a racing retention) is not restored either
      SnapshotManifest third = publish(s, store, 3000);
      String file = third.files().get(0).name();
      repo.delete("snapshots/" + third.id() + "/data/" + file);
      assertThat(s.latestRestorable(TOPIC, 2, new long[2]).id()).isEqualTo(complete.id());
      // another topic's or partition count's snapshots are not restored
      assertThat(s.latestRestorable("other", 2, new long[2])).isNull();
      assertThat(s.latestRestorable(TOPIC, 3, new long[3])).isNull();
    }
    // a temporary file of an object being written is not listed
    Files.writeString(repo.root().resolve("snapshots/.tmp-x"), "partial");
    assertThat(repo.list("snapshots/")).noneMatch(k -> k.contains(".tmp-"));
  }

  @Test
  void latestRestorableSkipsSnapshotsBelowTheLogStart() throws Exception {
    Snapshots s = new Snapshots(new DirectoryRepository(tmp.resolve("repo")));
    try (RocksStore store = RocksStore.open(tmp.resolve("db"))) {
      put(store, 0, 3, "a", "x");
      put(store, 1, 3, "b", "x");
      SnapshotManifest old = publish(s, store, 1000);
      put(store, 0, 10, "a", "y");
      put(store, 1, 10, "b", "y");
      SnapshotManifest young = publish(s, store, 2000);
      assertThat(s.latestRestorable(TOPIC, 2, new long[] {4, 0}).id()).isEqualTo(young.id());
      assertThat(s.latestRestorable(TOPIC, 2, new long[] {11, 0})).isNull();
      assertThat(old.appliedLsns()).containsExactly(3, 3);
    }
  }

  @Test
  void retentionKeepsTheNewestAndTheTrimPointIsTheOldestKept() throws Exception {
    DirectoryRepository repo = new DirectoryRepository(tmp.resolve("repo"));
    Snapshots s = new Snapshots(repo);
    List<SnapshotManifest> all = new ArrayList<>();
    try (RocksStore store = RocksStore.open(tmp.resolve("db"))) {
      for (int i = 1; i <= 4; i++) {
        put(store, 0, 10L * i, "a", "v" + i);
        put(store, 1, 10L * i + 1, "b", "v" + i);
        all.add(publish(s, store, 1000L * i));
      }
    }
    List<SnapshotManifest> kept = s.retain(2, 5000);
    assertThat(kept)
        .extracting(SnapshotManifest::id)
        .containsExactly(all.get(2).id(), all.get(3).id());
    assertThat(s.list())
        .extracting(SnapshotManifest::id)
        .containsExactly(all.get(2).id(), all.get(3).id());
    // no file of a deleted snapshot is left
    assertThat(repo.list("snapshots/" + all.get(0).id())).isEmpty();
    assertThat(repo.list("snapshots/" + all.get(1).id())).isEmpty();
    assertThat(Snapshots.trimPoint(kept)).containsExactly(30, 31);
    assertThat(Snapshots.trimPoint(List.of())).isNull();
    // a snapshot that never got its manifest is deleted once abandoned, not before
    repo.put("snapshots/" + SnapshotManifest.newId(6000, 2) + "/data/000001.sst", new byte[] {1});
    s.retain(2, 6000 + 1000);
    assertThat(repo.list("snapshots/" + SnapshotManifest.newId(6000, 2))).hasSize(1);
    s.retain(2, 6000 + Snapshots.ABANDONED_AFTER_MILLIS + 1);
    assertThat(repo.list("snapshots/" + SnapshotManifest.newId(6000, 2))).isEmpty();
    assertThat(s.list()).hasSize(2);
  }

  @Test
  void restoreDecision() throws Exception {
    Snapshots s = new Snapshots(new DirectoryRepository(tmp.resolve("repo")));
    Path db = tmp.resolve("node-db");
    // empty store, no snapshot, log never trimmed: replay everything
    assertThat(SnapshotRestore.ifNeeded(db, s, TOPIC, 2, new long[2], SnapshotsTest::applied))
        .isNull();
    // empty store, no snapshot, log trimmed: refused with a clear reason
    assertThatThrownBy(
            () ->
                SnapshotRestore.ifNeeded(
                    db, s, TOPIC, 2, new long[] {5, 0}, SnapshotsTest::applied))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the store is empty")
        .hasMessageContaining("has no snapshot");
    SnapshotManifest m;
    try (RocksStore store = RocksStore.open(tmp.resolve("writer-db"))) {
      put(store, 0, 20, "a", "snap");
      put(store, 1, 21, "b", "snap");
      m = publish(s, store, 1000);
    }
    // empty store: restored
    assertThat(
            SnapshotRestore.ifNeeded(db, s, TOPIC, 2, new long[] {20, 0}, SnapshotsTest::applied)
                .id())
        .isEqualTo(m.id());
    try (RocksStore r = RocksStore.open(db)) {
      assertThat(get(r, 0, "a")).isEqualTo("snap");
      put(r, 0, 25, "a", "mine");
    }
    // a store at or above the log start is kept
    assertThat(
            SnapshotRestore.ifNeeded(db, s, TOPIC, 2, new long[] {20, 21}, SnapshotsTest::applied))
        .isNull();
    try (RocksStore r = RocksStore.open(db)) {
      assertThat(get(r, 0, "a")).isEqualTo("mine");
      put(r, 1, 3, "b", "behind"); // partition 1 behind the trim point below
    }
    // a store behind the log start of one partition is replaced by the snapshot
    assertThat(
            SnapshotRestore.ifNeeded(db, s, TOPIC, 2, new long[] {20, 21}, SnapshotsTest::applied)
                .id())
        .isEqualTo(m.id());
    try (RocksStore r = RocksStore.open(db)) {
      assertThat(get(r, 0, "a")).isEqualTo("snap");
      assertThat(PartitionProcessor.appliedLsn(r, 1)).isEqualTo(21);
    }
    assertThat(Files.exists(tmp.resolve("node-db.restoring"))).isFalse();
  }

  static long[] applied(Path dir) {
    try (RocksStore ro = RocksStore.openReadOnly(dir)) {
      return new long[] {
        PartitionProcessor.appliedLsn(ro, 0), PartitionProcessor.appliedLsn(ro, 1)
      };
    }
  }

  @Test
  void snapshotterTakesSnapshotsWhenDueOnlyAsWriterThenRetainsAndTrims() throws Exception {
    Snapshots s = new Snapshots(new DirectoryRepository(tmp.resolve("repo")));
    long[] now = {10_000};
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(now[0]);
          }
        };
    AtomicBoolean writer = new AtomicBoolean(false);
    List<long[]> trims = new ArrayList<>();
    try (RocksStore store = RocksStore.open(tmp.resolve("db"))) {
      Snapshotter.Node node =
          new Snapshotter.Node() {
            @Override
            public boolean writer() {
              return writer.get();
            }

            @Override
            public long[] applied() {
              return SnapshotsTest.appliedOf(store);
            }

            @Override
            public void checkpoint(Path dir) {
              store.checkpoint(dir);
            }

            @Override
            public long[] appliedIn(Path dir) {
              return SnapshotsTest.applied(dir);
            }

            @Override
            public void trimTo(long[] lsns) {
              trims.add(lsns);
            }
          };
      SnapshotsConfig config =
          new SnapshotsConfig("file:///x", 10L, null, 2, null, null, null, null, null, null, false);
      Snapshotter sn = new Snapshotter(s, config, node, TOPIC, 7, tmp.resolve("work"), clock);
      put(store, 0, 15, "a", "1");
      assertThat(sn.maybeSnapshot()).as("not the writer").isNull();
      writer.set(true);
      SnapshotManifest first = sn.maybeSnapshot();
      assertThat(first).isNotNull();
      assertThat(first.appliedLsns()).containsExactly(15, 0);
      assertThat(first.nodeId()).isEqualTo(7);
      assertThat(trims).hasSize(1);
      assertThat(trims.get(0)).containsExactly(15, 0);
      now[0] += 1000;
      put(store, 0, 20, "a", "2");
      assertThat(sn.maybeSnapshot()).as("5 records: not due").isNull();
      put(store, 1, 10, "b", "1");
      SnapshotManifest second = sn.maybeSnapshot();
      assertThat(second).as("10 records in partition 1").isNotNull();
      assertThat(trims.get(1)).as("the oldest of two kept").containsExactly(15, 0);
      now[0] += 1000;
      put(store, 0, 40, "a", "3");
      SnapshotManifest third = sn.maybeSnapshot();
      assertThat(s.list())
          .extracting(SnapshotManifest::id)
          .containsExactly(second.id(), third.id());
      assertThat(trims.get(2)).containsExactly(20, 10);
      assertThat(tmp.resolve("work")).isEmptyDirectory();
      // time and records both set: both must hold
      SnapshotsConfig both =
          new SnapshotsConfig(
              "file:///x", 1L, Duration.ofMinutes(1), 2, null, null, null, null, null, null, false);
      Snapshotter sn2 = new Snapshotter(s, both, node, TOPIC, 7, tmp.resolve("work"), clock);
      put(store, 0, 41, "a", "4");
      assertThat(sn2.maybeSnapshot()).as("a minute has not passed since the last").isNull();
      now[0] += 60_000;
      assertThat(sn2.maybeSnapshot()).isNotNull();
      now[0] += 60_000;
      assertThat(sn2.maybeSnapshot()).as("no record since").isNull();
    }
  }

  static long[] appliedOf(Store store) {
    return new long[] {
      PartitionProcessor.appliedLsn(store, 0), PartitionProcessor.appliedLsn(store, 1)
    };
  }
}
