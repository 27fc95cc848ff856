package dev.resolute.server.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resolute.server.storage.MemoryStore;
import dev.resolute.server.storage.Store;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The state cache always answers what the store holds, in the store's order, within its bounds. */
class StateCacheTest {

  @Test
  void randomWritesReadsAndClearsAgreeWithTheStore() {
    MemoryStore store = new MemoryStore();
    StateCache cache = new StateCache();
    Tables cached = new Tables(0, cache);
    Tables plain = new Tables(0);
    Random rnd = new Random(42);
    for (int batch = 0; batch < 300; batch++) {
      try (Store.Batch b = store.begin()) {
        cached.on(b);
        plain.on(b);
        for (int i = 0; i < 50; i++) {
          String key = "k" + rnd.nextInt(20);
          byte[] name =
              ("n" + rnd.nextInt(rnd.nextBoolean() ? 3 : 300)).getBytes(StandardCharsets.UTF_8);
          switch (rnd.nextInt(6)) {
            case 0, 1 -> {
              byte[] value = new byte[rnd.nextInt(rnd.nextInt(10) == 0 ? 4000 : 40)];
              rnd.nextBytes(value);
              cached.putState("Svc", key, name, value);
            }
            case 2 -> cached.deleteState("Svc", key, name);
            case 3 -> {
              if (rnd.nextInt(10) == 0) {
                cached.clearState("Svc", key);
              }
            }
            case 4 -> assertSame(plain.allState("Svc", key), cached.allState("Svc", key));
            default -> {
              byte[] a = plain.state("Svc", key, name);
              byte[] c = cached.state("Svc", key, name);
              assertTrue(a == null ? c == null : java.util.Arrays.equals(a, c));
            }
          }
        }
        b.commit();
      }
      assertTrue(cache.bytes() <= StateCache.MAX_BYTES);
    }
    assertTrue(cache.hits() > 0, "the cache was used");
    try (Store.Batch b = store.begin()) {
      for (int k = 0; k < 20; k++) {
        assertSame(plain.on(b).allState("Svc", "k" + k), cached.on(b).allState("Svc", "k" + k));
      }
    }
  }

  @Test
  void aLargeObjectIsNotCachedAndTheBudgetEvictsTheLeastRecentlyUsed() {
    MemoryStore store = new MemoryStore();
    StateCache cache = new StateCache();
    Tables t = new Tables(0, cache);
    try (Store.Batch b = store.begin()) {
      t.on(b)
          .putState(
              "Svc",
              "big",
              "a".getBytes(StandardCharsets.UTF_8),
              new byte[StateCache.MAX_OBJECT_BYTES]);
      t.allState("Svc", "big");
      assertEquals(0, cache.objects());
      int n = (int) (StateCache.MAX_BYTES / 900) + 100;
      for (int i = 0; i < n; i++) {
        t.putState("Svc", "o" + i, "v".getBytes(StandardCharsets.UTF_8), new byte[900]);
        t.allState("Svc", "o" + i);
      }
      assertTrue(cache.bytes() <= StateCache.MAX_BYTES);
      assertTrue(cache.objects() < n);
      assertEquals(1, t.allState("Svc", "o0").size(), "an evicted object is read from the store");
    }
  }

  private static void assertSame(List<byte[][]> expected, List<byte[][]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i)[0], actual.get(i)[0]);
      assertArrayEquals(expected.get(i)[1], actual.get(i)[1]);
    }
  }
}
