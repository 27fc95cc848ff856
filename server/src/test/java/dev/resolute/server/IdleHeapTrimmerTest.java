package dev.resolute.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.MemoryUsage;
import org.junit.jupiter.api.Test;

class IdleHeapTrimmerTest {
  static final long MIB = 1024 * 1024;

  /** A heap whose full collections shrink the committed size by half, down to the live set. */
  static final class FakeHeap {
    long collections;
    long used = 30 * MIB;
    long live = 30 * MIB;
    long committed = 640 * MIB;
    int fullGcs;

    MemoryUsage usage() {
      return new MemoryUsage(64 * MIB, used, committed, 1024 * MIB);
    }

    void fullGc() {
      fullGcs++;
      collections++;
      used = live;
      committed = Math.max(live + 16 * MIB, committed / 2);
    }

    IdleHeapTrimmer trimmer() {
      return new IdleHeapTrimmer(() -> collections, this::usage, this::fullGc);
    }
  }

  @Test
  void anIdleNodeCollectsUntilTheHeapNoLongerShrinksOrIsSmall() {
    FakeHeap h = new FakeHeap();
    IdleHeapTrimmer t = h.trimmer();
    t.round(); // first look
    t.round(); // quiet 1
    assertThat(h.fullGcs).isZero();
    t.round(); // quiet 2: trims
    assertThat(h.fullGcs).isEqualTo(1);
    for (int i = 0; i < 10; i++) {
      t.round();
    }
    assertThat(h.committed - h.used).isLessThanOrEqualTo(IdleHeapTrimmer.SLACK_BYTES);
    int after = h.fullGcs;
    for (int i = 0; i < 10; i++) {
      t.round();
    }
    assertThat(h.fullGcs).as("a trimmed idle heap is left alone").isEqualTo(after);
  }

  @Test
  void aBusyNodeIsNeverCollected() {
    FakeHeap h = new FakeHeap();
    IdleHeapTrimmer t = h.trimmer();
    for (int i = 0; i < 20; i++) {
      h.collections++; // young collections of a node under load
      t.round();
    }
    assertThat(h.fullGcs).isZero();
  }

  @Test
  void trimmingStopsWhenLoadReturns() {
    FakeHeap h = new FakeHeap();
    IdleHeapTrimmer t = h.trimmer();
    t.round();
    t.round();
    t.round();
    assertThat(h.fullGcs).isEqualTo(1);
    h.collections++; // load again
    t.round();
    t.round();
    assertThat(h.fullGcs).isEqualTo(1);
  }
}
