package dev.resolute.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers are snapshots: what is committed after one is opened stays invisible to it. */
class StoreReaderTest {
  @TempDir Path dir;

  static byte[] key(String s) {
    return Keys.of(1, Keys.STATE).str(s).build();
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static void write(Store store, String k, String v) {
    try (Store.Batch batch = store.begin()) {
      if (v == null) {
        batch.delete(key(k));
      } else {
        batch.put(key(k), b(v));
      }
      batch.commit();
    }
  }

  static List<String> scan(Txn t) {
    List<String> seen = new ArrayList<>();
    t.scan(
        Keys.of(1, Keys.STATE).build(), (k, v) -> seen.add(new String(v, StandardCharsets.UTF_8)));
    return seen;
  }

  void seesAConsistentSnapshot(Store store) {
    write(store, "a", "a1");
    write(store, "b", "b1");
    try (Store.Reader r = store.reader()) {
      write(store, "a", "a2");
      write(store, "b", null);
      write(store, "c", "c1");
      assertThat(r.get(key("a"))).isEqualTo(b("a1"));
      assertThat(r.get(key("b"))).isEqualTo(b("b1"));
      assertThat(r.get(key("c"))).isNull();
      assertThat(scan(r)).containsExactly("a1", "b1");
      assertThat(
              new ArrayList<String>() {
                {
                  r.scanFrom(
                      Keys.of(1, Keys.STATE).build(),
                      key("b"),
                      (k, v) -> add(new String(v, StandardCharsets.UTF_8)));
                }
              })
          .containsExactly("b1");
    }
    try (Store.Reader r = store.reader()) {
      assertThat(scan(r)).containsExactly("a2", "c1");
    }
  }

  @Test
  void memoryReaderSeesASnapshot() {
    seesAConsistentSnapshot(new MemoryStore());
  }

  @Test
  void rocksReaderSeesASnapshot() {
    try (RocksStore store = RocksStore.open(dir.resolve("db"))) {
      seesAConsistentSnapshot(store);
    }
  }

  @Test
  void closingARocksReaderReleasesItsSnapshot() {
    try (RocksStore store = RocksStore.open(dir.resolve("db"))) {
      write(store, "a", "a1");
      Store.Reader r = store.reader();
      Store.Reader r2 = store.reader();
      assertThat(store.openSnapshots()).isEqualTo(2);
      r.close();
      assertThat(store.openSnapshots()).isEqualTo(1);
      r2.close();
      r2.close(); // idempotent
      assertThat(store.openSnapshots()).isZero();
      assertThatThrownBy(() -> r.get(key("a"))).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void readersAreReadOnlyAndUnusableAfterClose() {
    Store store = new MemoryStore();
    Store.Reader r = store.reader();
    assertThatThrownBy(() -> r.put(key("a"), b("x")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.delete(key("a"))).isInstanceOf(UnsupportedOperationException.class);
    r.close();
    assertThatThrownBy(() -> r.get(key("a"))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void keysDecodeWhatTheyEncode() {
    byte[] timer = Keys.of(2, Keys.TIMER).u64(1234L).u64(7).build();
    assertThat(Keys.timerTime(timer)).isEqualTo(1234L);
    assertThat(Keys.outboxSeq(Keys.of(2, Keys.OUTBOX).u64(99).build())).isEqualTo(99);
    byte[] prefix = Keys.of(2, Keys.STATE).str("svc").build();
    byte[] k = Keys.of(2, Keys.STATE).str("svc").lenBytes(b("name")).build();
    assertThat(Keys.lenBytesAfter(k, prefix)).isEqualTo(b("name"));
    assertThat(Keys.after(k, prefix, 4)).isEqualTo(new byte[] {0, 0, 0, 4});
  }
}
