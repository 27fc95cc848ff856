package dev.resolute.server.limits;

/**
 * The limits of one rule; {@code null} means unlimited in that dimension.
 *
 * @param concurrency at most this many running invocations per matching counter (restate's {@code
 *     limits.concurrency}, >= 1)
 * @param ratePerSecond our extension: at most this many invocations started per second per matching
 *     counter, a token bucket refilled continuously (> 0)
 * @param burst our extension: the bucket's capacity (>= 1; defaults to max(1, ceil(rate)))
 */
public record Limits(Integer concurrency, Double ratePerSecond, Integer burst) {

  public static final Limits UNLIMITED = new Limits(null, null, null);

  public Limits {
    if (concurrency != null && concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
    }
    if (ratePerSecond != null && !(ratePerSecond > 0 && Double.isFinite(ratePerSecond))) {
      throw new IllegalArgumentException("rate must be > 0 per second, got " + ratePerSecond);
    }
    if (burst != null && burst < 1) {
      throw new IllegalArgumentException("burst must be >= 1, got " + burst);
    }
    if (burst != null && ratePerSecond == null) {
      throw new IllegalArgumentException("burst needs a rate");
    }
  }

  /** The bucket capacity in effect when a rate is set. */
  public int effectiveBurst() {
    if (burst != null) {
      return burst;
    }
    return ratePerSecond == null ? 0 : (int) Math.max(1, Math.ceil(ratePerSecond));
  }
}
