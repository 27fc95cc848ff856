package dev.resolute.sdk.common;

import java.time.Duration;
import java.util.Objects;

/**
 * Retry policy of a {@code ctx.run} step: exponential back-off bounded by attempts and/or total
 * duration. When exhausted, the step fails with a {@link TerminalException} at the call site.
 */
public final class RetryPolicy {
  private Duration initialDelay;
  private float exponentiationFactor;
  private Duration maxDelay;
  private Integer maxAttempts;
  private Duration maxDuration;

  private RetryPolicy(Duration initialDelay, float exponentiationFactor) {
    this.initialDelay = Objects.requireNonNull(initialDelay);
    this.exponentiationFactor = exponentiationFactor;
  }

  /** Exponential, 100 ms initial delay, factor 2, at most 10 s between attempts, unbounded. */
  public static RetryPolicy defaultPolicy() {
    return exponential(Duration.ofMillis(100), 2.0f).setMaxDelay(Duration.ofSeconds(10));
  }

  public static RetryPolicy exponential(Duration initialDelay, float factor) {
    return new RetryPolicy(initialDelay, factor);
  }

  public static RetryPolicy fixedDelay(Duration delay) {
    return new RetryPolicy(delay, 1.0f);
  }

  public RetryPolicy setInitialDelay(Duration initialDelay) {
    this.initialDelay = Objects.requireNonNull(initialDelay);
    return this;
  }

  public RetryPolicy setExponentiationFactor(float exponentiationFactor) {
    this.exponentiationFactor = exponentiationFactor;
    return this;
  }

  public RetryPolicy setMaxDelay(Duration maxDelay) {
    this.maxDelay = maxDelay;
    return this;
  }

  /** Total attempts, including the first one. */
  public RetryPolicy setMaxAttempts(Integer maxAttempts) {
    this.maxAttempts = maxAttempts;
    return this;
  }

  public RetryPolicy setMaxDuration(Duration maxDuration) {
    this.maxDuration = maxDuration;
    return this;
  }

  public Duration getInitialDelay() {
    return initialDelay;
  }

  public float getExponentiationFactor() {
    return exponentiationFactor;
  }

  public Duration getMaxDelay() {
    return maxDelay;
  }

  public Integer getMaxAttempts() {
    return maxAttempts;
  }

  public Duration getMaxDuration() {
    return maxDuration;
  }

  /**
   * The delay before the next attempt after {@code attempts} failed attempts, or {@code null} when
   * the policy is exhausted.
   */
  public Duration nextDelay(int attempts, Duration elapsed) {
    if (maxAttempts != null && attempts >= maxAttempts) {
      return null;
    }
    double ms = initialDelay.toMillis() * Math.pow(exponentiationFactor, Math.max(0, attempts - 1));
    if (maxDelay != null) {
      ms = Math.min(ms, maxDelay.toMillis());
    }
    Duration delay = Duration.ofMillis((long) Math.min(ms, Long.MAX_VALUE / 2.0));
    if (maxDuration != null && elapsed.plus(delay).compareTo(maxDuration) > 0) {
      return null;
    }
    return delay;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy p
        && Float.compare(exponentiationFactor, p.exponentiationFactor) == 0
        && Objects.equals(initialDelay, p.initialDelay)
        && Objects.equals(maxDelay, p.maxDelay)
        && Objects.equals(maxAttempts, p.maxAttempts)
        && Objects.equals(maxDuration, p.maxDuration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(initialDelay, exponentiationFactor, maxDelay, maxAttempts, maxDuration);
  }

  @Override
  public String toString() {
    return "RetryPolicy[initialDelay="
        + initialDelay
        + ", factor="
        + exponentiationFactor
        + ", maxDelay="
        + maxDelay
        + ", maxAttempts="
        + maxAttempts
        + ", maxDuration="
        + maxDuration
        + "]";
  }
}
