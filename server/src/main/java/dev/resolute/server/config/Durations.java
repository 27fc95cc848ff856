package dev.resolute.server.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * Parses and prints durations the way restate-server does: the "friendly" format ({@code 10s},
 * {@code 5m}, {@code 1h 4m}, {@code 1s 500ms}, {@code 10 hours}, {@code 5d}) and ISO-8601
 * ({@code PT10S}, {@code P40D}, {@code P2W}). Calendar units (months, years) are rejected because
 * their length is not fixed. Used by the configuration and by the ingress {@code ?delay=}.
 */
public final class Durations {
  private Durations() {}

  private static final Map<String, Duration> UNITS = Map.ofEntries(
      Map.entry("ns", Duration.ofNanos(1)), Map.entry("nsec", Duration.ofNanos(1)),
      Map.entry("nanos", Duration.ofNanos(1)), Map.entry("nanosecond", Duration.ofNanos(1)),
      Map.entry("nanoseconds", Duration.ofNanos(1)),
      Map.entry("us", Duration.ofNanos(1_000)), Map.entry("\u00b5s", Duration.ofNanos(1_000)),
      Map.entry("usec", Duration.ofNanos(1_000)), Map.entry("micros", Duration.ofNanos(1_000)),
      Map.entry("microsecond", Duration.ofNanos(1_000)), Map.entry("microseconds", Duration.ofNanos(1_000)),
      Map.entry("ms", Duration.ofMillis(1)), Map.entry("msec", Duration.ofMillis(1)),
      Map.entry("msecs", Duration.ofMillis(1)), Map.entry("millis", Duration.ofMillis(1)),
      Map.entry("millisecond", Duration.ofMillis(1)), Map.entry("milliseconds", Duration.ofMillis(1)),
      Map.entry("s", Duration.ofSeconds(1)), Map.entry("sec", Duration.ofSeconds(1)),
      Map.entry("secs", Duration.ofSeconds(1)), Map.entry("second", Duration.ofSeconds(1)),
      Map.entry("seconds", Duration.ofSeconds(1)),
      Map.entry("m", Duration.ofMinutes(1)), Map.entry("min", Duration.ofMinutes(1)),
      Map.entry("mins", Duration.ofMinutes(1)), Map.entry("minute", Duration.ofMinutes(1)),
      Map.entry("minutes", Duration.ofMinutes(1)),
      Map.entry("h", Duration.ofHours(1)), Map.entry("hr", Duration.ofHours(1)),
      Map.entry("hrs", Duration.ofHours(1)), Map.entry("hour", Duration.ofHours(1)),
      Map.entry("hours", Duration.ofHours(1)),
      Map.entry("d", Duration.ofDays(1)), Map.entry("day", Duration.ofDays(1)),
      Map.entry("days", Duration.ofDays(1)),
      Map.entry("w", Duration.ofDays(7)), Map.entry("wk", Duration.ofDays(7)),
      Map.entry("wks", Duration.ofDays(7)), Map.entry("week", Duration.ofDays(7)),
      Map.entry("weeks", Duration.ofDays(7)),
      Map.entry("nano", Duration.ofNanos(1)), Map.entry("nsecs", Duration.ofNanos(1)),
      Map.entry("micro", Duration.ofNanos(1_000)), Map.entry("usecs", Duration.ofNanos(1_000)),
      Map.entry("\u00b5sec", Duration.ofNanos(1_000)), Map.entry("\u00b5secs", Duration.ofNanos(1_000)),
      Map.entry("\u03bcs", Duration.ofNanos(1_000)), Map.entry("\u03bcsec", Duration.ofNanos(1_000)),
      Map.entry("\u03bcsecs", Duration.ofNanos(1_000)), Map.entry("milli", Duration.ofMillis(1)));
  /** Calendar units jiff knows but restate refuses: their length is not fixed. */
  private static final java.util.Set<String> CALENDAR_UNITS =
      java.util.Set.of("years", "year", "yrs", "yr", "y", "months", "month", "mos", "mo");
  static final String CALENDAR = "please use units of days or smaller";
  private static final String FRIENDLY = "failed to parse input in the \"friendly\" duration format: ";

  /**
   * Parses a friendly or ISO-8601 duration.
   *
   * @throws IllegalArgumentException with a message saying what is wrong
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "an empty string is not a valid duration in either the ISO 8601 format or Jiff's \"friendly\" format");
    }
    String s = text.strip();
    char first = Character.toUpperCase(s.charAt(0));
    if (first == 'P' || ((first == '-' || first == '+') && s.length() > 1
        && Character.toUpperCase(s.charAt(1)) == 'P')) {
      return parseIso(s);
    }
    return parseFriendly(s);
  }

  private static Duration parseIso(String s) {
    String upper = s.toUpperCase(Locale.ROOT);
    boolean negative = upper.startsWith("-");
    String body = upper.startsWith("-") || upper.startsWith("+") ? upper.substring(1) : upper;
    // java.time does not know weeks; P2W and P1W3D are valid ISO-8601 here
    int w = body.indexOf('W');
    Duration extra = Duration.ZERO;
    if (w > 0 && (body.indexOf('T') < 0 || w < body.indexOf('T'))) {
      try {
        extra = Duration.ofDays(7 * Long.parseLong(body.substring(1, w)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid ISO 8601 duration '" + s + "'");
      }
      body = "P" + body.substring(w + 1);
      if (body.equals("P")) {
        return negative ? extra.negated() : extra;
      }
    }
    if (body.matches("P[^T]*[YM].*") && !body.startsWith("PT")) {
      String date = body.contains("T") ? body.substring(0, body.indexOf('T')) : body;
      if (date.contains("Y") || date.contains("M")) {
        throw new IllegalArgumentException(CALENDAR);
      }
    }
    if (body.endsWith("T")) {
      throw new IllegalArgumentException("found a time designator (`T` or `t`) in an ISO 8601 duration string, "
          + "but did not find any time units");
    }
    try {
      Duration d = Duration.parse(body).plus(extra);
      return negative ? d.negated() : d;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("invalid ISO 8601 duration '" + s + "'");
    }
  }

  private static Duration parseFriendly(String s) {
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    int i = 0;
    int n = s.length();
    Duration total = Duration.ZERO;
    boolean any = false;
    while (i < n) {
      while (i < n && (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == ',')) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int numStart = i;
      while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      if (numStart == i) {
        if (any) {
          throw new IllegalArgumentException(FRIENDLY + "parsed value '" + total + "', but unparsed input \""
              + s.substring(numStart) + "\" remains (expected no unparsed input)");
        }
        throw new IllegalArgumentException(FRIENDLY + "expected duration to start with a unit value (a decimal "
            + "integer) after an optional sign, but no integer was found");
      }
      String number = s.substring(numStart, i);
      while (i < n && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      int unitStart = i;
      while (i < n && (Character.isLetter(s.charAt(i)) || s.charAt(i) == '\u00b5')) {
        i++;
      }
      // unit designators are lower case, as jiff reads them ("10S" is not ten seconds)
      String unitText = s.substring(unitStart, i);
      if (CALENDAR_UNITS.contains(unitText)) {
        throw new IllegalArgumentException(CALENDAR);
      }
      Duration unit = UNITS.get(unitText);
      if (unit == null) {
        throw new IllegalArgumentException(FRIENDLY + "expected to find unit designator suffix (e.g., `years` or "
            + "`secs`) after parsing integer");
      }
      BigDecimal value;
      try {
        value = new BigDecimal(number);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid duration '" + s + "': bad number '" + number + "'");
      }
      BigDecimal nanos = value.multiply(BigDecimal.valueOf(unit.toNanos()));
      total = total.plusNanos(nanos.longValue());
      any = true;
    }
    if (!any) {
      throw new IllegalArgumentException("invalid duration '" + s + "'");
    }
    return total;
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
