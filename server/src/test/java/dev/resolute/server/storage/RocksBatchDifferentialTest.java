package dev.resolute.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RocksStore's batches against MemoryStore's, the reference: random puts, deletes, gets, prefix
 * scans (whole and from a key, stopped early) over a small key space with shared prefixes, several
 * commits per batch and batches that are closed without commit. Every read must agree.
 */
class RocksBatchDifferentialTest {
  @TempDir Path dir;

  @Test
  void batchesReadAndWriteLikeTheReferenceStore() {
    Random rnd = new Random(42);
    try (RocksStore rocks = RocksStore.open(dir.resolve("db"));
        MemoryStore mem = new MemoryStore()) {
      for (int round = 0; round < 200; round++) {
        try (Store.Batch r = rocks.begin();
            Store.Batch m = mem.begin()) {
          int ops = 1 + rnd.nextInt(40);
          for (int i = 0; i < ops; i++) {
            byte[] k = key(rnd);
            switch (rnd.nextInt(7)) {
              case 0, 1 -> {
                byte[] v = new byte[rnd.nextInt(200)];
                rnd.nextBytes(v);
                r.put(k, v);
                m.put(k, v);
              }
              case 2 -> {
                r.delete(k);
                m.delete(k);
              }
              case 3 -> assertArrayEquals(m.get(k), r.get(k), "get " + Arrays.toString(k));
              case 4 -> {
                byte[] prefix = Arrays.copyOf(k, rnd.nextInt(k.length + 1));
                int limit = 1 + rnd.nextInt(10);
                assertEquals(scan(m, prefix, null, limit), scan(r, prefix, null, limit), "scan");
              }
              case 5 -> {
                byte[] prefix = Arrays.copyOf(k, rnd.nextInt(3));
                byte[] from = key(rnd);
                if (!Keys.startsWith(from, prefix)) {
                  from = prefix;
                }
                assertEquals(scan(m, prefix, from, 1000), scan(r, prefix, from, 1000), "scanFrom");
              }
              default -> {
                if (rnd.nextInt(4) == 0) {
                  r.commit();
                  m.commit();
                }
              }
            }
          }
          if (rnd.nextInt(5) != 0) {
            r.commit();
            m.commit();
          }
        }
      }
      try (Store.Reader r = rocks.reader();
          Store.Reader m = mem.reader()) {
        assertEquals(scan(m, new byte[0], null, 1_000_000), scan(r, new byte[0], null, 1_000_000));
      }
    }
  }

  @Test
  void aBatchThatOutgrowsTheHeapLimitSpillsAndStillReadsItsWrites() {
    Random rnd = new Random(7);
    try (RocksStore rocks = RocksStore.open(dir.resolve("db"));
        MemoryStore mem = new MemoryStore()) {
      for (int round = 0; round < 3; round++) {
        try (Store.Batch r = rocks.begin();
            Store.Batch m = mem.begin()) {
          for (int i = 0; i < 80; i++) {
            byte[] k = {(byte) (i % 3), (byte) rnd.nextInt(8)};
            if (rnd.nextInt(4) == 0) {
              r.delete(k);
              m.delete(k);
            } else {
              byte[] v = new byte[rnd.nextInt(1 << 20)];
              rnd.nextBytes(v);
              r.put(k, v);
              m.put(k, v);
            }
            assertArrayEquals(m.get(k), r.get(k));
            byte[] prefix = {(byte) (i % 3)};
            assertEquals(scan(m, prefix, null, 100), scan(r, prefix, null, 100));
          }
          r.commit();
          m.commit();
          // after a spilled commit the batch goes on, and reads see the committed values
          byte[] k = {0, 1};
          assertArrayEquals(m.get(k), r.get(k));
        }
      }
      try (Store.Reader r = rocks.reader();
          Store.Reader m = mem.reader()) {
        assertEquals(scan(m, new byte[0], null, 1000), scan(r, new byte[0], null, 1000));
      }
    }
  }

  @Test
  void anEmptyValueIsAValueNotADeletion() {
    try (RocksStore rocks = RocksStore.open(dir.resolve("db"))) {
      byte[] k = {1, 2};
      try (Store.Batch b = rocks.begin()) {
        b.put(k, new byte[0]);
        assertArrayEquals(new byte[0], b.get(k));
        b.commit();
      }
      try (Store.Batch b = rocks.begin()) {
        assertArrayEquals(new byte[0], b.get(k));
        b.delete(k);
        assertNull(b.get(k));
        b.commit();
        assertNull(b.get(k));
      }
    }
  }

  private static byte[] key(Random rnd) {
    byte[] k = new byte[1 + rnd.nextInt(4)];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (rnd.nextInt(3) == 0 ? 0xFF : rnd.nextInt(4));
    }
    return k;
  }

  private static List<String> scan(Txn t, byte[] prefix, byte[] from, int limit) {
    List<String> out = new ArrayList<>();
    java.util.function.BiPredicate<byte[], byte[]> v =
        (k, val) -> {
          out.add(Arrays.toString(k) + "=" + val.length + "#" + Arrays.hashCode(val));
          return out.size() < limit;
        };
    if (from == null) {
      t.scan(prefix, v);
    } else {
      t.scanFrom(prefix, from, v);
    }
    return out;
  }
}
