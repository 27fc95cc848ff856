package dev.resolute.server.invoker;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The inactivity/abort deadline of one attempt, on an injected nanosecond ticker. The deadline
 * moves on every message, so it is checked lazily: at most one scheduled check at a time, which on
 * firing asks to be re-scheduled for the current deadline if that moved. Re-scheduling on every
 * message would be a schedule and a cancel per message on the shared timer pool, each waking its
 * threads. Not thread-safe: the session calls it under its own lock.
 */
final class Deadline {
  /** What a fired check found. */
  enum Check {
    /** Cancelled, or a check that a later one replaced: nothing to do. */
    STALE,
    /** The deadline moved past this check: schedule one more at {@link #delayNanos()}. */
    MOVED,
    /** The deadline has run out (and is now disarmed). */
    EXPIRED
  }

  private final LongSupplier nanoTime;
  private boolean armed;
  private long deadlineAt;
  private boolean checkScheduled;
  private long checkAt;

  Deadline(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * Moves the deadline to {@code d} from now. Returns true when the caller must schedule a check in
   * {@link #delayNanos()} (cancelling the one it had), false when the scheduled check comes first
   * and will see the new deadline.
   */
  boolean arm(Duration d) {
    long at = nanoTime.getAsLong() + d.toNanos();
    deadlineAt = at;
    armed = true;
    if (checkScheduled && checkAt - at <= 0) {
      return false;
    }
    checkAt = at;
    checkScheduled = true;
    return true;
  }

  /** No deadline and no check wanted (the caller cancels its scheduled check). */
  void disarm() {
    armed = false;
    checkScheduled = false;
  }

  boolean armed() {
    return armed;
  }

  /** Nanoseconds from now until the wanted check, never negative. */
  long delayNanos() {
    return Math.max(0, checkAt - nanoTime.getAsLong());
  }

  /** A scheduled check fired. */
  Check fire() {
    long now = nanoTime.getAsLong();
    if (!armed || !checkScheduled || now - checkAt < 0) {
      return Check.STALE;
    }
    if (now - deadlineAt < 0) {
      checkAt = deadlineAt;
      return Check.MOVED;
    }
    armed = false;
    checkScheduled = false;
    return Check.EXPIRED;
  }
}
