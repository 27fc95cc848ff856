package dev.resolute.server.config;

import java.math.BigInteger;
import java.time.Duration;

/**
 * Parses and prints durations the way restate-server does: the "friendly" format ({@code 10s},
 * {@code 5m}, {@code 1h 4m}, {@code 1s 500ms}, {@code 10 hours}, {@code 5d}, {@code 01:30:00},
 * {@code 2 days ago}) and ISO-8601 ({@code PT10S}, {@code P40D}, {@code P2W}), with
 * restate-server's range limits and messages (see {@link DurationParser}). Calendar units (months,
 * years) are rejected because their length is not fixed. Used by the configuration and by the
 * ingress {@code ?delay=}.
 */
public final class Durations {
  private Durations() {}

  static final String CALENDAR = DurationParser.CALENDAR;

  /** The last instant restate-server can answer as an execution time: 9999-12-31T23:59:59.999Z. */
  public static final long MAX_EXECUTION_TIME_MILLIS = 253_402_300_799_999L;

  /**
   * Parses a friendly or ISO-8601 duration exactly as restate-server does, with its limits (see
   * {@link DurationParser}): nothing overflows, and a value restate-server refuses is refused with
   * its message.
   *
   * @throws IllegalArgumentException with restate-server's message saying what is wrong
   */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException(
          "an empty string is not a valid duration in either the ISO 8601 format or Jiff's \"friendly\" format");
    }
    return DurationParser.parse(text);
  }

  /**
   * The execution time {@code delay} after {@code nowMillis}, for a delayed send. A parsed delay is
   * at most about 140 000 years, so the sum cannot overflow; it must not pass the last instant
   * restate-server can print ({@link #MAX_EXECUTION_TIME_MILLIS}; restate-server drops the
   * connection there instead of answering).
   *
   * @throws IllegalArgumentException when the execution time would be later than that
   */
  public static long executionTime(long nowMillis, Duration delay) {
    long at = Math.addExact(nowMillis, delay.toMillis());
    if (at > MAX_EXECUTION_TIME_MILLIS) {
      throw new IllegalArgumentException(
          "the delay "
              + delay.toMillis()
              + "ms puts the execution time after "
              + "9999-12-31T23:59:59.999Z");
    }
    return at;
  }

  /**
   * Prints a duration as restate-server does in {@code --dump-config}: {@code 1d}, {@code 1m},
   * {@code 10m}, {@code 1s 500ms}, {@code 0s}.
   */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    if (d.isNegative()) {
      b.append('-');
      d = d.negated();
    }
    // each unit at most what a span holds (DurationParser), the rest carried to the next smaller
    // one, so that what is printed parses back to the same duration however long it is
    BigInteger rest =
        BigInteger.valueOf(d.getSeconds())
            .multiply(BigInteger.valueOf(1_000_000_000L))
            .add(BigInteger.valueOf(d.getNano()));
    for (int u = 0; u < FORMAT_UNITS.length; u++) {
      BigInteger[] qr = rest.divideAndRemainder(BigInteger.valueOf(FORMAT_NANOS[u]));
      BigInteger n = qr[0].min(BigInteger.valueOf(FORMAT_MAX[u]));
      rest = rest.subtract(n.multiply(BigInteger.valueOf(FORMAT_NANOS[u])));
      append(b, n.longValueExact(), FORMAT_UNITS[u]);
    }
    return b.toString();
  }

  private static final String[] FORMAT_UNITS = {"d", "h", "m", "s", "ms", "us", "ns"};
  private static final long[] FORMAT_NANOS = {
    86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L
  };

  /** The largest value a span holds in each unit (DurationParser's limits). */
  private static final long[] FORMAT_MAX = {
    7_304_484L,
    175_307_616L,
    10_518_456_960L,
    631_107_417_600L,
    631_107_417_600_000L,
    631_107_417_600_000_000L,
    Long.MAX_VALUE
  };

  private static void append(StringBuilder b, long v, String unit) {
    if (v == 0) {
      return;
    }
    if (b.length() > 0 && b.charAt(b.length() - 1) != '-') {
      b.append(' ');
    }
    b.append(v).append(unit);
  }
}
