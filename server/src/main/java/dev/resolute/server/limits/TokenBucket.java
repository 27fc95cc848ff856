package dev.resolute.server.limits;

/**
 * A token bucket in its GCRA form, driven by record time only (never a wall clock), so every
 * replica that applies the same records reaches the same state (Java's double arithmetic is IEEE
 * strict since 17). Immutable: {@link #take} returns the next bucket.
 *
 * <p>With emission interval {@code T = 1000 / rate} ms and capacity {@code burst}, an invocation
 * may start at {@code now} iff {@code theoreticalArrival - now <= (burst - 1) * T}; starting moves
 * the theoretical arrival to {@code max(theoreticalArrival, now) + T}. Over any window of {@code w}
 * ms at most {@code burst + w / T} invocations start.
 *
 * @param theoreticalArrivalMillis the record time at which the bucket would be full again
 */
public record TokenBucket(double theoreticalArrivalMillis) {

  /** A full bucket. */
  public static final TokenBucket FULL = new TokenBucket(Double.NEGATIVE_INFINITY);

  private static double interval(Limits limits) {
    return 1000.0 / limits.ratePerSecond();
  }

  /** The record time from which one invocation may start (at most {@code nowMillis} if now). */
  public long nextStartMillis(Limits limits, long nowMillis) {
    double earliest =
        theoreticalArrivalMillis - (limits.effectiveBurst() - 1) * interval(limits) - 1e-9;
    if (earliest <= nowMillis) {
      return nowMillis;
    }
    return (long) Math.ceil(earliest);
  }

  public boolean mayStart(Limits limits, long nowMillis) {
    return nextStartMillis(limits, nowMillis) <= nowMillis;
  }

  /** The bucket after one invocation started at {@code nowMillis}; requires {@link #mayStart}. */
  public TokenBucket take(Limits limits, long nowMillis) {
    if (!mayStart(limits, nowMillis)) {
      throw new IllegalStateException("rate exceeded at " + nowMillis);
    }
    return new TokenBucket(Math.max(theoreticalArrivalMillis, nowMillis) + interval(limits));
  }
}
