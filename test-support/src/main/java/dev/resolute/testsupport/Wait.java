package dev.resolute.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Polls a condition until it holds or a timeout passes: the replacement for a {@code Thread.sleep}
 * that stands for "long enough for X to have happened". A condition that throws counts as not yet
 * true (a server that is not listening yet refuses the connection); the last exception is kept for
 * the message.
 */
public final class Wait {
  private static final long POLL_MILLIS = 25;

  private Wait() {}

  /**
   * Waits until {@code condition} returns true; throws {@link AssertionError} naming {@code what}
   * on timeout.
   */
  public static void until(String what, Duration timeout, Callable<Boolean> condition) {
    forValue(what, timeout, () -> Boolean.TRUE.equals(condition.call()) ? Boolean.TRUE : null);
  }

  /**
   * Waits until {@code supplier} returns a non-null value and returns it; throws {@link
   * AssertionError} naming {@code what} on timeout.
   */
  public static <T> T forValue(String what, Duration timeout, Callable<T> supplier) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        T value = supplier.call();
        if (value != null) {
          return value;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      } catch (ProcessExitedException e) {
        throw e; // a dead process never becomes ready: fail now with its log
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() - deadline >= 0) {
        AssertionError error =
            new AssertionError(
                "timed out after "
                    + timeout
                    + " waiting for "
                    + what
                    + (last == null ? "" : " (last error: " + last + ")"));
        if (last != null) {
          error.initCause(last);
        }
        throw error;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }
}
