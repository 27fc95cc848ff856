package dev.resolute.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.CompactionStyle;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

/**
 * The store compacts universally ({@link RocksStore#options}); a store written by an earlier build
 * with leveled compaction — data in level 0 and in the last level — opens as it is, keeps every
 * key, and compacts on universally once compactions resume.
 */
class RocksOpenLevelledTest {
  @TempDir Path dir;

  static byte[] key(int i) {
    return Keys.of(1, Keys.STATE).str("k" + i).build();
  }

  static byte[] value(int i, int gen) {
    return ("v" + i + "/" + gen).getBytes(StandardCharsets.UTF_8);
  }

  /** What the store must hold: each key's latest value, null once deleted. */
  private final Map<Integer, byte[]> expected = new HashMap<>();

  @Test
  void aStoreWrittenWithLeveledCompactionOpensAndCompactsUniversally() throws Exception {
    try (Options o = RocksStore.options()) {
      assertThat(o.compactionStyle()).isEqualTo(CompactionStyle.UNIVERSAL);
    }
    try (Options o =
            RocksStore.options()
                .setCompactionStyle(CompactionStyle.LEVEL)
                .setDisableAutoCompactions(false);
        RocksDB db = RocksDB.open(o, dir.toString());
        WriteOptions w = new WriteOptions();
        FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
      for (int i = 0; i < 2000; i++) {
        db.put(w, key(i), value(i, 0));
        expected.put(i, value(i, 0));
      }
      db.flush(f);
      db.compactRange(); // into the last level
      for (int gen = 1; gen <= 3; gen++) {
        for (int i = gen * 100; i < 2000; i += 3) {
          db.put(w, key(i), value(i, gen));
          expected.put(i, value(i, gen));
        }
        db.delete(w, key(gen)); // tombstones in level 0 over the last level
        expected.put(gen, null);
        db.flush(f);
      }
      assertThat(db.getProperty("rocksdb.num-files-at-level0")).isEqualTo("3");
    }
    try (RocksStore store = RocksStore.open(dir)) {
      store.resumeCompactions();
      assertHoldsExpected(store);
      // enough new sorted runs to start a universal compaction over the levelled files
      for (int gen = 4; gen < 4 + 2 * RocksStore.LEVEL0_COMPACTION_TRIGGER; gen++) {
        try (Store.Batch b = store.begin()) {
          for (int i = 1000 + gen; i < 2000; i += 50) {
            b.put(key(i), value(i, gen));
            expected.put(i, value(i, gen));
          }
          b.commit();
        }
        store.flush();
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  store.longProperty("rocksdb.num-files-at-level0")
                          < RocksStore.LEVEL0_COMPACTION_TRIGGER
                      && store.longProperty("rocksdb.compaction-pending") == 0);
      assertHoldsExpected(store);
    }
    try (RocksStore store = RocksStore.open(dir)) {
      assertHoldsExpected(store);
    }
  }

  private void assertHoldsExpected(RocksStore store) {
    try (Store.Reader r = store.reader()) {
      for (int i = 0; i < 2000; i++) {
        assertThat(r.get(key(i))).as("key %d", i).isEqualTo(expected.get(i));
      }
    }
  }
}
