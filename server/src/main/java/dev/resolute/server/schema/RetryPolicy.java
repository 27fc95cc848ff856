package dev.resolute.server.schema;

import java.time.Duration;

/**
 * An invocation retry policy: exponential backoff. {@code maxAttempts} counts the first attempt;
 * {@code null} means unlimited.
 */
public record RetryPolicy(
    Duration initialInterval,
    double exponentiationFactor,
    Integer maxAttempts,
    Duration maxInterval,
    OnMaxAttempts onMaxAttempts) {

  public enum OnMaxAttempts {
    PAUSE("Pause"),
    KILL("Kill");

    private final String adminName;

    OnMaxAttempts(String adminName) {
      this.adminName = adminName;
    }

    public String adminName() {
      return adminName;
    }
  }

  /**
   * restate-server 1.7.12 default: 500ms, x2, 70 attempts, max 1m, pause (observed in admin
   * output).
   */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(Duration.ofMillis(500), 2.0, 70, Duration.ofMinutes(1), OnMaxAttempts.PAUSE);

  /** Delay before retry number {@code retry} (1 = first retry), without jitter. */
  public Duration delayBeforeRetry(int retry) {
    double ms = initialInterval.toMillis() * Math.pow(exponentiationFactor, Math.max(0, retry - 1));
    return Duration.ofMillis((long) Math.min(ms, maxInterval.toMillis()));
  }
}
