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
    return take(limits, nowMillis, Long.MAX_VALUE);
  }

  /**
   * The bucket after one invocation that has waited since {@code waitingSinceMillis} started at
   * {@code nowMillis}; requires {@link #mayStart}.
   *
   * <p>A waiting invocation starts when its wake-up timer's record is applied, a little after the
   * token fell due (timer delay, append, fsync). Charged at that late time, every start of a
   * saturated bucket would push the next one back by the lateness, and with no burst to absorb it
   * ({@code burst} 1) the held rate would fall short of the limit by lateness / interval. So a
   * start that waited since before its token fell due, and comes less than one interval after it,
   * is charged at the due time: the long-run rate is then exactly the limit, and two starts can be
   * closer than the interval only by the wake-up jitter (at most one start more than {@code burst +
   * w / T} in a window). A later start (the node was down, say) is charged at its own time, so no
   * backlog of tokens builds up.
   */
  public TokenBucket take(Limits limits, long nowMillis, long waitingSinceMillis) {
    if (!mayStart(limits, nowMillis)) {
      throw new IllegalStateException("rate exceeded at " + nowMillis);
    }
    double t = interval(limits);
    double due = theoreticalArrivalMillis - (limits.effectiveBurst() - 1) * t;
    double charged =
        waitingSinceMillis <= due && nowMillis - due < t ? Math.min(due, nowMillis) : nowMillis;
    return new TokenBucket(Math.max(theoreticalArrivalMillis, charged) + t);
  }
}
