package dev.resolute.server.config;

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
    long days = d.toDays();
    long hours = d.toHoursPart();
    long minutes = d.toMinutesPart();
    long seconds = d.toSecondsPart();
    long millis = d.toMillisPart();
    long nanosRest = d.toNanosPart() % 1_000_000;
    append(b, days, "d");
    append(b, hours, "h");
    append(b, minutes, "m");
    append(b, seconds, "s");
    append(b, millis, "ms");
    append(b, nanosRest / 1000, "us");
    append(b, nanosRest % 1000, "ns");
    return b.toString();
  }

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
