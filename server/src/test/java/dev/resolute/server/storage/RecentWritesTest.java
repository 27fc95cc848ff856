package dev.resolute.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class RecentWritesTest {
  @Test
  void remembersWritesAndDeletesAndForgetsLargeValues() {
    RecentWrites r = new RecentWrites();
    byte[] k = {1, 2, 3};
    assertSame(RecentWrites.UNKNOWN, r.get(k));
    r.written(k, new byte[] {9});
    assertArrayEquals(new byte[] {9}, r.get(new byte[] {1, 2, 3}));
    r.written(k, null);
    assertNull(r.get(k));
    r.written(k, new byte[RecentWrites.MAX_VALUE_BYTES + 1]);
    assertSame(RecentWrites.UNKNOWN, r.get(k), "a large value must not leave an older one behind");
  }

  @Test
  void aNewerValueWinsAcrossRotationsAndOldGenerationsAreDropped() {
    RecentWrites r = new RecentWrites();
    byte[] k = {7};
    r.written(k, new byte[] {1});
    for (int i = 0; i < RecentWrites.GENERATION; i++) {
      r.written(new byte[] {8, (byte) (i >>> 8), (byte) i}, new byte[] {0});
    }
    // k is in the old generation now; a newer value goes to the young one and wins
    r.written(k, new byte[] {2});
    assertArrayEquals(new byte[] {2}, r.get(k));
    r.written(k, new byte[RecentWrites.MAX_VALUE_BYTES + 1]);
    assertSame(RecentWrites.UNKNOWN, r.get(k));
    byte[] gone = {6};
    r.written(gone, new byte[] {3});
    for (int i = 0; i < 2 * RecentWrites.GENERATION; i++) {
      r.written(new byte[] {9, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}, new byte[] {0});
    }
    assertSame(RecentWrites.UNKNOWN, r.get(gone), "two rotations drop a key");
  }
}
