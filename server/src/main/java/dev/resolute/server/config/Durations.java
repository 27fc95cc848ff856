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
      Map.entry("weeks", Duration.ofDays(7)));

  /**
   * Parses a friendly or ISO-8601 duration.
   *
   * @throws IllegalArgumentException with a message saying what is wrong
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "an empty string is not a valid duration in either the ISO 8601 format or the friendly format");
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
        throw new IllegalArgumentException("invalid ISO 8601 duration '" + s
            + "': years and months have no fixed length, use days or smaller units");
      }
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
        throw new IllegalArgumentException("invalid duration '" + s
            + "': expected a number at position " + numStart + " (e.g. '10s', '5m', '1h 4m', 'PT10S')");
      }
      String number = s.substring(numStart, i);
      while (i < n && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      int unitStart = i;
      while (i < n && (Character.isLetter(s.charAt(i)) || s.charAt(i) == '\u00b5')) {
        i++;
      }
      if (unitStart == i) {
        throw new IllegalArgumentException("invalid duration '" + s + "': missing unit after '" + number
            + "' (expected one of ns, us, ms, s, m, h, d, w)");
      }
      String unitText = s.substring(unitStart, i);
      Duration unit = UNITS.get(unitText.toLowerCase(Locale.ROOT));
      if (unit == null || unitText.equals("M")) {
        throw new IllegalArgumentException("invalid duration '" + s + "': unknown unit '" + unitText
            + "' (expected one of ns, us, ms, s, m, h, d, w)");
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
