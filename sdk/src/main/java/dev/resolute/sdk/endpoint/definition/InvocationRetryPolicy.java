package dev.resolute.sdk.endpoint.definition;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server retries a failing invocation of a service or handler (discovery manifest V4; the
 * server's {@code default-retry-policy} fills what is unset). Build one with {@link #builder()}:
 *
 * <pre>{@code
 * Endpoint.bind(new Payments(), conf -> conf.invocationRetryPolicy(InvocationRetryPolicy.builder()
 *     .initialInterval(Duration.ofMillis(100)).maxInterval(Duration.ofSeconds(10))
 *     .maxAttempts(10).onMaxAttempts(InvocationRetryPolicy.OnMaxAttempts.KILL)));
 * }</pre>
 */
public final class InvocationRetryPolicy {
  /** What happens when the attempts are exhausted. */
  public enum OnMaxAttempts {
    /**
     * The invocation is paused; it can be resumed (e.g. with {@code restate invocations resume}).
     */
    PAUSE,
    /** The invocation is killed (ends with a failure, no compensation runs). */
    KILL
  }

  private final Duration initialInterval;
  private final Double exponentiationFactor;
  private final Duration maxInterval;
  private final Integer maxAttempts;
  private final OnMaxAttempts onMaxAttempts;

  private InvocationRetryPolicy(Builder b) {
    this.initialInterval = b.initialInterval;
    this.exponentiationFactor = b.exponentiationFactor;
    this.maxInterval = b.maxInterval;
    this.maxAttempts = b.maxAttempts;
    this.onMaxAttempts = b.onMaxAttempts;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** First retry delay, or {@code null} for the server default. */
  public Duration initialInterval() {
    return initialInterval;
  }

  /** Growth factor of the delay between attempts, or {@code null}. */
  public Double exponentiationFactor() {
    return exponentiationFactor;
  }

  /** Cap on the delay between attempts, or {@code null}. */
  public Duration maxInterval() {
    return maxInterval;
  }

  /** Attempts before {@link #onMaxAttempts()} applies, or {@code null} (server default). */
  public Integer maxAttempts() {
    return maxAttempts;
  }

  public OnMaxAttempts onMaxAttempts() {
    return onMaxAttempts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InvocationRetryPolicy p
        && Objects.equals(initialInterval, p.initialInterval)
        && Objects.equals(exponentiationFactor, p.exponentiationFactor)
        && Objects.equals(maxInterval, p.maxInterval)
        && Objects.equals(maxAttempts, p.maxAttempts)
        && onMaxAttempts == p.onMaxAttempts;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        initialInterval, exponentiationFactor, maxInterval, maxAttempts, onMaxAttempts);
  }

  @Override
  public String toString() {
    return "InvocationRetryPolicy[initialInterval="
        + initialInterval
        + ", exponentiationFactor="
        + exponentiationFactor
        + ", maxInterval="
        + maxInterval
        + ", maxAttempts="
        + maxAttempts
        + ", onMaxAttempts="
        + onMaxAttempts
        + "]";
  }

  /** Builder; every field is optional. */
  public static class Builder {
    private Duration initialInterval;
    private Double exponentiationFactor;
    private Duration maxInterval;
    private Integer maxAttempts;
    private OnMaxAttempts onMaxAttempts;

    public Builder() {}

    public Duration initialInterval() {
      return initialInterval;
    }

    public Builder initialInterval(Duration initialInterval) {
      if (initialInterval != null && (initialInterval.isNegative() || initialInterval.isZero())) {
        throw new IllegalArgumentException("initialInterval must be positive: " + initialInterval);
      }
      this.initialInterval = initialInterval;
      return this;
    }

    public Double exponentiationFactor() {
      return exponentiationFactor;
    }

    public Builder exponentiationFactor(Double exponentiationFactor) {
      if (exponentiationFactor != null && !(exponentiationFactor >= 1.0)) {
        throw new IllegalArgumentException(
            "exponentiationFactor must be at least 1: " + exponentiationFactor);
      }
      this.exponentiationFactor = exponentiationFactor;
      return this;
    }

    public Duration maxInterval() {
      return maxInterval;
    }

    public Builder maxInterval(Duration maxInterval) {
      if (maxInterval != null && (maxInterval.isNegative() || maxInterval.isZero())) {
        throw new IllegalArgumentException("maxInterval must be positive: " + maxInterval);
      }
      this.maxInterval = maxInterval;
      return this;
    }

    public Integer maxAttempts() {
      return maxAttempts;
    }

    public Builder maxAttempts(Integer maxAttempts) {
      if (maxAttempts != null && maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    public OnMaxAttempts onMaxAttempts() {
      return onMaxAttempts;
    }

    public Builder onMaxAttempts(OnMaxAttempts onMaxAttempts) {
      this.onMaxAttempts = onMaxAttempts;
      return this;
    }

    public InvocationRetryPolicy build() {
      return new InvocationRetryPolicy(this);
    }
  }
}
