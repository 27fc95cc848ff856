package dev.resolute.server.cluster;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that this node stood still (SIGSTOP, a long GC or VM pause) long enough that the group
 * may have given its partitions to others, and holds the leader's effects until the node gave them
 * up and claimed again.
 *
 * <p>Why: a leader paused past the session timeout resumes still believing it leads. Its log
 * consumer then delivers, in log order, records appended while it stood still — the ones before the
 * new leader's announcement included — and it would start their invocations (a deployment runs a
 * {@code ctx.run} step at once) before it applies the announcement that fences it. So while {@link
 * #leaseValid()} is false a leader runs no effect but replies; {@link Membership} leaves the group
 * on {@link #pausedMillis()} (every partition steps down), {@link #clear()}s, and joins again: a
 * partition assigned again is claimed under a new epoch and its leader re-derives every effect it
 * held back (timers, outbox, running invocations).
 *
 * <p>Invariant: a lease found invalid by its age is a pause the ticker sees too (one ticker, the
 * same {@code lastTick}), so every effect held back is followed by a step-down. The ticker writes
 * the pause before the new tick and {@link #leaseValid()} reads them in the other order.
 */
public final class PauseDetector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PauseDetector.class);
  private static final long TICK_MILLIS = 50;

  private final long thresholdNanos;
  private volatile long lastTick = System.nanoTime();
  private volatile long pausedMillis;
  private volatile boolean closed;
  private final Thread ticker;

  /** Starts ticking; a stand-still of {@code threshold} or more is a pause. */
  public PauseDetector(Duration threshold) {
    this(threshold, true);
  }

  /** With {@code tick} false no thread ticks: a test calls {@link #tick(long)}. */
  PauseDetector(Duration threshold, boolean tick) {
    this.thresholdNanos = threshold.toNanos();
    this.ticker = new Thread(this::ticks, "pause-detector");
    ticker.setDaemon(true);
    if (tick) {
      ticker.start();
    }
  }

  private void ticks() {
    while (!closed) {
      try {
        Thread.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      tick(System.nanoTime());
    }
  }

  /** One tick at {@code now} (nanoTime): a gap since the last one of the threshold is a pause. */
  void tick(long now) {
    long gap = now - lastTick;
    if (gap >= thresholdNanos) {
      pausedMillis = Math.max(1, gap / 1_000_000);
      LOG.warn(
          "this node stood still for {} ms: it may have been fenced; it leads nothing until it"
              + " joined the group again",
          gap / 1_000_000);
    }
    lastTick = now;
  }

  /** Whether a leader may run effects now: no pause noticed, none under way. */
  public boolean leaseValid() {
    long last = lastTick;
    if (pausedMillis > 0) {
      return false;
    }
    return System.nanoTime() - last < thresholdNanos;
  }

  /** The length of the pause noticed and not cleared yet, or 0. */
  public long pausedMillis() {
    return pausedMillis;
  }

  /** The node gave up every partition after the pause: leaders may run effects again. */
  public void clear() {
    pausedMillis = 0;
  }

  @Override
  public void close() {
    closed = true;
    ticker.interrupt();
  }
}
