package dev.resolute.server.config;

import dev.resolute.server.schema.RetryPolicy;
import java.time.Duration;

/**
 * {@code [default-retry-policy]}: the invocation retry policy for handlers that set none. Defaults
 * are those restate-server 1.7.12 prints with {@code --dump-config}: 500ms, x2, max 1m, 70 attempts
 * (counting the first), then pause.
 *
 * @param maxAttempts null = unlimited
 */
public record RetryPolicyConfig(
    Duration initialInterval,
    double exponentiationFactor,
    Duration maxInterval,
    Integer maxAttempts,
    RetryPolicy.OnMaxAttempts onMaxAttempts) {

  public RetryPolicyConfig {
    if (initialInterval == null || initialInterval.isNegative()) {
      throw new IllegalArgumentException(
          "default-retry-policy.initial-interval must not be negative");
    }
    if (!(exponentiationFactor >= 1.0) || Double.isInfinite(exponentiationFactor)) {
      throw new IllegalArgumentException(
          "default-retry-policy.exponentiation-factor must be >= 1.0");
    }
    if (maxInterval == null || maxInterval.compareTo(initialInterval) < 0) {
      throw new IllegalArgumentException(
          "default-retry-policy.max-interval must be >= initial-interval");
    }
    if (maxAttempts != null && maxAttempts < 1) {
      throw new IllegalArgumentException(
          "default-retry-policy.max-attempts must be >= 1 or \"unlimited\"");
    }
    if (onMaxAttempts == null) {
      throw new IllegalArgumentException(
          "default-retry-policy.on-max-attempts must be \"pause\" or \"kill\"");
    }
  }

  public static RetryPolicyConfig defaults() {
    return new RetryPolicyConfig(
        Duration.ofMillis(500), 2.0, Duration.ofMinutes(1), 70, RetryPolicy.OnMaxAttempts.PAUSE);
  }

  public RetryPolicy toRetryPolicy() {
    return new RetryPolicy(
        initialInterval, exponentiationFactor, maxAttempts, maxInterval, onMaxAttempts);
  }
}
