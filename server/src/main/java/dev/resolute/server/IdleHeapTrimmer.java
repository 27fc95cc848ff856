package dev.resolute.server;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives heap back to the operating system once the node is idle after a load. A burst of large
 * requests grows the committed heap (24 concurrent 19 MiB bodies: about 640 MiB with the launcher's
 * serial collector), and the serial collector shrinks it only at full collections, a step at a time
 * — which an idle node never runs. So the node's resident memory stayed at its peak for good.
 *
 * <p>Run every {@link #INTERVAL_SECONDS} seconds: when no collection at all happened during the
 * last {@link #QUIET_ROUNDS} rounds (nothing is allocating: the node is idle) and more than {@link
 * #SLACK_BYTES} of committed heap is unused, it asks for a full collection ({@code System.gc()}),
 * one per round, at most {@link #MAX_TRIMS} times until the node is busy again. Under load
 * collections happen every few seconds, so it never runs then; an idle node's collection of a small
 * live set takes a few tens of milliseconds. Native memory freed by the same collections (direct
 * buffers) goes back too once large allocations are not kept by malloc's arenas (the launcher sets
 * {@code MALLOC_MMAP_THRESHOLD_}).
 */
final class IdleHeapTrimmer implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(IdleHeapTrimmer.class);
  static final long INTERVAL_SECONDS = 10;
  static final int QUIET_ROUNDS = 2;
  static final long SLACK_BYTES = 64L * 1024 * 1024;

  private final LongSupplier collections;
  private final Supplier<MemoryUsage> heap;
  private final Runnable fullGc;
  private long lastCollections = -1;
  private int quiet;

  /**
   * Full collections asked for since the node was last busy: the serial collector shrinks the old
   * generation by 0 %, 10 %, 40 %, then all of the excess at successive full collections, so a few
   * are needed; after {@link #MAX_TRIMS} the heap is left as it is until the next load.
   */
  private int trims;

  static final int MAX_TRIMS = 5;

  /**
   * @param collections collections so far (all collectors)
   * @param heap the heap's current usage
   * @param fullGc asks for a full collection
   */
  IdleHeapTrimmer(LongSupplier collections, Supplier<MemoryUsage> heap, Runnable fullGc) {
    this.collections = collections;
    this.heap = heap;
    this.fullGc = fullGc;
  }

  /**
   * This JVM's collectors, heap and {@code System.gc()}. The management beans are looked up at the
   * first round, not here: loading them takes tens of milliseconds a start need not wait for.
   */
  static IdleHeapTrimmer forThisJvm() {
    java.util.concurrent.atomic.AtomicReference<List<GarbageCollectorMXBean>> gcs =
        new java.util.concurrent.atomic.AtomicReference<>();
    return new IdleHeapTrimmer(
        () -> {
          List<GarbageCollectorMXBean> beans = gcs.get();
          if (beans == null) {
            beans = ManagementFactory.getGarbageCollectorMXBeans();
            gcs.set(beans);
          }
          long n = 0;
          for (GarbageCollectorMXBean g : beans) {
            n += Math.max(0, g.getCollectionCount());
          }
          return n;
        },
        () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage(),
        System::gc);
  }

  @Override
  public void run() {
    try {
      round();
    } catch (RuntimeException e) {
      LOG.debug("idle heap trimming skipped", e);
    }
  }

  void round() {
    long n = collections.getAsLong();
    MemoryUsage h = heap.get();
    if (n != lastCollections) {
      // something allocated since the last round: the node is busy
      lastCollections = n;
      quiet = 0;
      trims = 0;
      return;
    }
    quiet++;
    boolean slack = h.getCommitted() - h.getUsed() > SLACK_BYTES;
    if (slack && trims < MAX_TRIMS && (trims > 0 || quiet >= QUIET_ROUNDS)) {
      trims++;
      trim(h);
      lastCollections = collections.getAsLong(); // our own collection is no sign of load
    }
  }

  private void trim(MemoryUsage before) {
    fullGc.run();
    MemoryUsage after = heap.get();
    LOG.debug(
        "idle: heap committed {} MiB -> {} MiB (used {} MiB)",
        before.getCommitted() >> 20,
        after.getCommitted() >> 20,
        after.getUsed() >> 20);
  }
}
