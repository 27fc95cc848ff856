package dev.resolute.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One partition's keys replaced in a running store from another store; the others untouched. */
class PartitionCopyTest {
  @TempDir Path dir;

  static byte[] key(int partition, String s) {
    return Keys.of(partition, Keys.STATE).str(s).build();
  }

  static byte[] v(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<String> dump(Store store) {
    List<String> out = new ArrayList<>();
    try (Store.Reader r = store.reader()) {
      r.scan(
          new byte[0],
          (k, val) -> {
            out.add(
                java.util.HexFormat.of().formatHex(k)
                    + "="
                    + new String(val, StandardCharsets.UTF_8));
            return true;
          });
    }
    return out;
  }

  void fill(Store live, Store snapshot) {
    try (Store.Batch b = live.begin()) {
      b.put(key(1, "a"), v("live-a"));
      b.put(key(1, "stale"), v("gone"));
      b.put(key(0, "other"), v("kept"));
      b.put(key(2, "other"), v("kept"));
      b.put(key(256 + 1, "x"), v("another partition with the same low byte"));
      b.commit();
    }
    try (Store.Batch b = snapshot.begin()) {
      b.put(key(1, "a"), v("snap-a"));
      b.put(key(1, "b"), v("snap-b"));
      b.put(key(0, "other"), v("not copied"));
      b.commit();
    }
  }

  void check(Store live, Store snapshot) {
    try (Store.Reader r = snapshot.reader()) {
      assertThat(PartitionCopy.replace(r, live, 1)).isEqualTo(2);
    }
    try (Store.Reader r = live.reader()) {
      assertThat(r.get(key(1, "a"))).isEqualTo(v("snap-a"));
      assertThat(r.get(key(1, "b"))).isEqualTo(v("snap-b"));
      assertThat(r.get(key(1, "stale"))).isNull();
      assertThat(r.get(key(0, "other"))).isEqualTo(v("kept"));
      assertThat(r.get(key(2, "other"))).isEqualTo(v("kept"));
      assertThat(r.get(key(257, "x"))).isNotNull();
    }
    assertThat(dump(live)).hasSize(5);
  }

  @Test
  void replacesOnePartitionInMemory() {
    Store live = new MemoryStore();
    Store snapshot = new MemoryStore();
    fill(live, snapshot);
    check(live, snapshot);
  }

  @Test
  void replacesOnePartitionFromARocksDbCheckpoint() {
    RocksStore.loadLibrary();
    try (RocksStore live = RocksStore.open(dir.resolve("live"));
        RocksStore source = RocksStore.open(dir.resolve("source"))) {
      fill(live, source);
      source.checkpoint(dir.resolve("checkpoint"));
      try (RocksStore snapshot = RocksStore.openReadOnly(dir.resolve("checkpoint"))) {
        check(live, snapshot);
      }
    }
  }
}
