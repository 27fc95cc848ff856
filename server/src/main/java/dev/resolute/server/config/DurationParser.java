package dev.resolute.server.config;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

// Over 400 lines on purpose: one grammar (restate-server's jiff duration syntax, both formats,
// per-unit limits and error texts); splitting it would scatter the grammar.

/**
 * Reads a duration as restate-server 1.7.12 does (its {@code DurationString}: a jiff {@code Span}
 * in the "friendly" or the ISO 8601 format, days taken as 24 hours, converted to an unsigned
 * duration), with the same limits and the same error texts, so that {@code ?delay=} and the
 * configuration accept exactly what restate-server accepts and overflow nowhere:
 *
 * <ul>
 *   <li>each number is read as an unsigned 64-bit integer ("number too big to parse into 64-bit
 *       integer"), then signed ("value for seconds is too big (or small) to fit into a signed
 *       64-bit integer");
 *   <li>a span holds at most 19 998 years, 239 976 months, 1 043 497 weeks, 7 304 484 days, 175 307
 *       616 hours, 10 518 456 960 minutes, 631 107 417 600 seconds (20 000 years), and as much in
 *       milliseconds and microseconds, and {@code i64::MAX} nanoseconds; a calendar unit over its
 *       limit is an error, a time unit over its limit spills into the smaller units as far as they
 *       can take it (so the largest duration is about 140 000 years, and nothing here can overflow
 *       a {@code long} of milliseconds);
 *   <li>years and months are refused (their length is not fixed), as is a negative result.
 * </ul>
 *
 * <p>Written from jiff's documented grammar and observed answers of restate-server; the comments
 * name the rule each step keeps.
 */
final class DurationParser {
  private DurationParser() {}

  // unit indices, smallest first (jiff's order)
  private static final int NS = 0;
  private static final int US = 1;
  private static final int MS = 2;
  private static final int SEC = 3;
  private static final int MIN = 4;
  private static final int HOUR = 5;
  private static final int DAY = 6;
  private static final int WEEK = 7;
  private static final int MONTH = 8;
  private static final int YEAR = 9;
  private static final String[] SINGULAR = {
    "nanosecond",
    "microsecond",
    "millisecond",
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "year"
  };
  private static final String[] PLURAL = {
    "nanoseconds",
    "microseconds",
    "milliseconds",
    "seconds",
    "minutes",
    "hours",
    "days",
    "weeks",
    "months",
    "years"
  };

  /** The largest magnitude a span holds in each unit (the smallest is its negation). */
  private static final long[] SPAN_MAX = {
    Long.MAX_VALUE,
    631_107_417_600_000_000L,
    631_107_417_600_000L,
    631_107_417_600L,
    10_518_456_960L,
    175_307_616L,
    7_304_484L,
    1_043_497L,
    239_976L,
    19_998L
  };

  /** Nanoseconds in one unit (months and years have no fixed length). */
  private static final long[] NANOS = {
    1L,
    1_000L,
    1_000_000L,
    1_000_000_000L,
    60_000_000_000L,
    3_600_000_000_000L,
    86_400_000_000_000L,
    604_800_000_000_000L,
    0,
    0
  };

  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

  /** jiff's SignedDuration: i64 seconds and the nanoseconds below one second. */
  private static final BigInteger DURATION_MAX =
      BigInteger.valueOf(Long.MAX_VALUE)
          .multiply(NANOS_PER_SECOND)
          .add(BigInteger.valueOf(999_999_999L));

  /**
   * Friendly unit designators, longest first so that the first prefix that matches is the longest.
   */
  private static final String[][] LABELS = {
    {"milliseconds", "2"},
    {"microseconds", "1"},
    {"nanoseconds", "0"},
    {"millisecond", "2"},
    {"microsecond", "1"},
    {"nanosecond", "0"},
    {"seconds", "3"},
    {"minutes", "4"},
    {"\u00b5secs", "1"},
    {"second", "3"},
    {"months", "8"},
    {"minute", "4"},
    {"millis", "2"},
    {"micros", "1"},
    {"\u00b5sec", "1"},
    {"years", "9"},
    {"weeks", "7"},
    {"usecs", "1"},
    {"nsecs", "0"},
    {"nanos", "0"},
    {"msecs", "2"},
    {"month", "8"},
    {"milli", "2"},
    {"micro", "1"},
    {"hours", "5"},
    {"year", "9"},
    {"week", "7"},
    {"usec", "1"},
    {"secs", "3"},
    {"nsec", "0"},
    {"nano", "0"},
    {"msec", "2"},
    {"mins", "4"},
    {"hour", "5"},
    {"days", "6"},
    {"\u00b5s", "1"},
    {"yrs", "9"},
    {"wks", "7"},
    {"sec", "3"},
    {"mos", "8"},
    {"min", "4"},
    {"hrs", "5"},
    {"day", "6"},
    {"yr", "9"},
    {"wk", "7"},
    {"us", "1"},
    {"ns", "0"},
    {"ms", "2"},
    {"mo", "8"},
    {"hr", "5"},
    {"y", "9"},
    {"w", "7"},
    {"s", "3"},
    {"m", "4"},
    {"h", "5"},
    {"d", "6"}
  };

  private static final byte[][] LABEL_BYTES = new byte[LABELS.length][];

  static {
    for (int i = 0; i < LABELS.length; i++) {
      LABEL_BYTES[i] = LABELS[i][0].getBytes(StandardCharsets.UTF_8);
    }
  }

  static final String CALENDAR = "please use units of days or smaller";
  private static final String FRIENDLY =
      "failed to parse input in the \"friendly\" duration format";

  /** A parse error; its message is the full text restate-server gives. */
  static final class Failure extends IllegalArgumentException {
    Failure(String message) {
      super(message);
    }

    /** This error with a context in front, as jiff chains them ("context: cause"). */
    Failure in(String context) {
      return new Failure(context + ": " + getMessage());
    }
  }

  static Duration parse(String text) {
    byte[] in = text.getBytes(StandardCharsets.UTF_8);
    if (in.length == 0) {
      throw new Failure(
          "an empty string is not a valid duration in either the ISO 8601 format or Jiff's "
              + "\"friendly\" format");
    }
    int first = in[0];
    if (first == '+' || first == '-') {
      if (in.length == 1) {
        throw new Failure(
            "found nothing after sign `"
                + (char) first
                + "`, which is not a valid duration in either "
                + "the ISO 8601 format or Jiff's \"friendly\" format");
      }
      first = in[1];
    }
    Span span;
    if (first == 'P' || first == 'p') {
      span = new Cursor(in).iso();
    } else {
      try {
        span = new Cursor(in).friendly();
      } catch (Failure f) {
        throw f.in(FRIENDLY);
      }
    }
    return span.toUnsignedDuration();
  }

  // ------------------------------------------------------------------ the span

  /** jiff's Span, as far as parsing needs it: a magnitude per unit and one sign. */
  private static final class Span {
    final long[] abs = new long[10];
    int sign = 1;

    /** Sets one unit (replacing its value), refusing a value outside the span's range. */
    void set(int unit, long value) {
      if (value < -SPAN_MAX[unit] || value > SPAN_MAX[unit]) {
        throw new Failure(
            "parameter '"
                + PLURAL[unit]
                + "' is not in the required range of -"
                + SPAN_MAX[unit]
                + "..="
                + SPAN_MAX[unit]);
      }
      abs[unit] = Math.abs(value);
      if (value != 0) {
        sign = value < 0 ? -1 : 1;
      }
    }

    boolean isZero() {
      for (long v : abs) {
        if (v != 0) {
          return false;
        }
      }
      return true;
    }

    /** restate's DurationString: no years or months, days of 24 hours, not negative. */
    Duration toUnsignedDuration() {
      if (sign > 0 && (abs[YEAR] > 0 || abs[MONTH] > 0)) {
        throw new Failure(CALENDAR);
      }
      if (abs[YEAR] != 0 || abs[MONTH] != 0) {
        throw new Failure(
            "could not compute normalized relative span when all days are assumed to be 24 hours: "
                + "using unit '"
                + (abs[YEAR] != 0 ? "year" : "month")
                + "' in span or configuration requires that a "
                + "relative reference time be given (`jiff::SpanRelativeTo::days_are_24_hours()` was given but this "
                + "only permits using days and weeks without a relative reference time)");
      }
      BigInteger total = BigInteger.ZERO;
      for (int u = NS; u <= WEEK; u++) {
        total = total.add(BigInteger.valueOf(abs[u]).multiply(BigInteger.valueOf(NANOS[u])));
      }
      if (sign < 0 && total.signum() != 0) {
        throw new Failure("negative signed durations cannot be converted to an unsigned duration");
      }
      BigInteger[] sn = total.divideAndRemainder(NANOS_PER_SECOND);
      return Duration.ofSeconds(sn[0].longValueExact(), sn[1].longValue());
    }

    /** The ISO 8601 form jiff prints a span in (used in "parsed value '…'" errors). */
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      if (sign < 0 && !isZero()) {
        b.append('-');
      }
      b.append('P');
      char[] dateLabels = {'D', 'W', 'M', 'Y'};
      for (int u = YEAR; u >= DAY; u--) {
        if (abs[u] != 0) {
          b.append(abs[u]).append(dateLabels[u - DAY]);
        }
      }
      boolean anyTime = false;
      for (int u = NS; u <= HOUR; u++) {
        anyTime |= abs[u] != 0;
      }
      if (!anyTime) {
        if (abs[DAY] == 0 && abs[WEEK] == 0 && abs[MONTH] == 0 && abs[YEAR] == 0) {
          b.append("T0S");
        }
        return b.toString();
      }
      b.append('T');
      if (abs[HOUR] != 0) {
        b.append(abs[HOUR]).append('H');
      }
      if (abs[MIN] != 0) {
        b.append(abs[MIN]).append('M');
      }
      boolean subsecond = abs[MS] != 0 || abs[US] != 0 || abs[NS] != 0;
      if (subsecond) {
        BigInteger n =
            BigInteger.valueOf(abs[SEC])
                .multiply(NANOS_PER_SECOND)
                .add(BigInteger.valueOf(abs[MS]).multiply(BigInteger.valueOf(1_000_000L)))
                .add(BigInteger.valueOf(abs[US]).multiply(BigInteger.valueOf(1_000L)))
                .add(BigInteger.valueOf(abs[NS]));
        BigInteger[] sn = n.divideAndRemainder(NANOS_PER_SECOND);
        b.append(sn[0]);
        if (sn[1].signum() != 0) {
          String frac = String.format("%09d", sn[1].longValue()).replaceAll("0+$", "");
          b.append('.').append(frac);
        }
        b.append('S');
      } else if (abs[SEC] != 0) {
        b.append(abs[SEC]).append('S');
      }
      return b.toString();
    }
  }

  // ------------------------------------------------------------------ the parsed units

  /**
   * The units as parsed, each an unsigned 64-bit magnitude (a {@code long} read unsigned), with one
   * sign for all and an optional fraction of the smallest: jiff's DurationUnits.
   */
  private static final class Units {
    final long[] values = new long[10];
    Integer fraction;
    int sign = 1;
    int min = -1;
    int max = -1;
    boolean anyNonZero;

    void setUnit(int unit, long value) {
      if (min >= 0 && min <= unit) {
        throw new Failure(
            "found value with unit "
                + SINGULAR[unit]
                + " after unit "
                + SINGULAR[min]
                + ", but units must be written from largest to smallest (and they can't be repeated)");
      }
      min = unit;
      if (max < 0) {
        max = unit;
      }
      values[unit] = value;
      anyNonZero |= value != 0;
    }

    void setHms(long hours, long minutes, long seconds, Integer frac) {
      if (min >= 0 && min <= HOUR) {
        throw new Failure(
            "found `HH:MM:SS` after unit "
                + SINGULAR[min]
                + ", but `HH:MM:SS` can only appear after "
                + "years, months, weeks or days");
      }
      setUnit(HOUR, hours);
      setUnit(MIN, minutes);
      setUnit(SEC, seconds);
      if (frac != null) {
        setFraction(frac);
      }
    }

    void setFraction(int nanos) {
      if (min > HOUR || min == NS) {
        throw new Failure("fractional " + PLURAL[min] + " are not supported");
      }
      fraction = nanos;
    }

    int effectiveSign() {
      return anyNonZero ? sign : 0;
    }

    /** The unit's value with the sign applied, if it fits a signed 64-bit integer. */
    long signed(int unit) {
      long v = values[unit];
      boolean negative = effectiveSign() < 0;
      if (v == Long.MIN_VALUE && negative) {
        return Long.MIN_VALUE; // |i64::MIN| read unsigned, negated
      }
      if (v < 0) { // above i64::MAX when read unsigned
        throw new Failure(
            "value for "
                + PLURAL[unit]
                + " is too big (or small) to fit into a signed 64-bit "
                + "integer");
      }
      return negative ? -v : v;
    }

    Span toSpan() {
      Span span = new Span();
      boolean small = fraction == null && max >= 0;
      for (long v : values) {
        small &= Long.compareUnsigned(v, SPAN_MAX[YEAR]) <= 0;
      }
      if (small) { // every value within every unit's limit
        for (int u = NS; u <= YEAR; u++) {
          span.abs[u] = values[u];
        }
        span.sign = effectiveSign() < 0 ? -1 : 1;
        return span;
      }
      if (max < 0) {
        throw new Failure("no parsed duration components");
      }
      for (int u = YEAR; u >= DAY; u--) {
        if (values[u] != 0) {
          long v = signed(u);
          try {
            span.set(u, v);
          } catch (Failure f) {
            throw f.in("failed to set value for " + SINGULAR[u] + " unit on span");
          }
        }
      }
      for (int u = HOUR; u >= NS; u--) {
        if (values[u] != 0) {
          long v = signed(u);
          try {
            try {
              span.set(u, v);
            } catch (Failure outOfRange) {
              if (u == NS) {
                throw outOfRange;
              }
              // a time unit written larger than the span takes spills into the smaller units
              spill(u, v, 0, span);
            }
          } catch (Failure f) {
            throw f.in("failed to set value for " + SINGULAR[u] + " unit on span");
          }
        }
      }
      if (fraction != null) {
        long v = signed(min);
        spill(min, v, effectiveSign() < 0 ? -fraction : fraction, span);
      }
      return span;
    }
  }

  /**
   * Puts {@code value} units plus {@code fraction} billionths of one into the span's time units,
   * from {@code unit} down, each up to its limit, the rest carried to the next smaller one (jiff's
   * fractional_time_to_span). Each unit from {@code unit} down that is reached is replaced.
   */
  private static void spill(int unit, long value, int fraction, Span span) {
    BigInteger rest = inNanos(unit, value);
    BigInteger frac =
        switch (unit) {
          case HOUR -> BigInteger.valueOf(fraction * 3600L);
          case MIN -> BigInteger.valueOf(fraction * 60L);
          case SEC -> BigInteger.valueOf(fraction);
          case MS -> BigInteger.valueOf(fraction / 1_000);
          case US -> BigInteger.valueOf(fraction / 1_000_000);
          default -> throw new Failure("fractional " + PLURAL[unit] + " are not supported");
        };
    rest = rest.add(frac);
    if (rest.abs().compareTo(DURATION_MAX) > 0) {
      throw new Failure(
          "accumulated duration overflowed when adding fractional value to unit " + SINGULAR[unit]);
    }
    for (int u = HOUR; u >= US; u--) {
      if (unit >= u && rest.signum() != 0) {
        BigInteger[] qr = rest.divideAndRemainder(BigInteger.valueOf(NANOS[u]));
        BigInteger n = qr[0];
        rest = qr[1];
        BigInteger limit = BigInteger.valueOf(SPAN_MAX[u]);
        if (n.abs().compareTo(limit) > 0) {
          BigInteger clamped = n.signum() < 0 ? limit.negate() : limit;
          rest = rest.add(n.subtract(clamped).multiply(BigInteger.valueOf(NANOS[u])));
          n = clamped;
        }
        span.set(u, n.longValueExact());
      }
    }
    if (rest.signum() != 0) {
      if (rest.bitLength() > 63) {
        throw new Failure("failed to set nanosecond value from fractional component");
      }
      try {
        span.set(NS, rest.longValueExact());
      } catch (Failure f) {
        throw f.in("failed to set nanosecond value from fractional component");
      }
    }
  }

  /** {@code value} units as a duration in nanoseconds; hours and minutes go through i64 seconds. */
  private static BigInteger inNanos(int unit, long value) {
    if (unit == HOUR || unit == MIN) {
      long perUnit = unit == HOUR ? 3600 : 60;
      long seconds;
      try {
        seconds = Math.multiplyExact(value, perUnit);
      } catch (ArithmeticException e) {
        throw new Failure(
            "converting " + PLURAL[unit] + " to seconds overflows a signed 64-bit integer");
      }
      return BigInteger.valueOf(seconds).multiply(NANOS_PER_SECOND);
    }
    return BigInteger.valueOf(value).multiply(BigInteger.valueOf(NANOS[unit]));
  }

  // ------------------------------------------------------------------ the two grammars

  private static final class Cursor {
    final byte[] in;
    int at;
    final Units units = new Units();

    Cursor(byte[] in) {
      this.in = in;
    }

    boolean atEnd() {
      return at >= in.length;
    }

    int peek() {
      return atEnd() ? -1 : in[at] & 0xff;
    }

    static boolean whitespace(int b) {
      return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0c;
    }

    void skipWhitespace() {
      while (whitespace(peek())) {
        at++;
      }
    }

    /** An unsigned 64-bit integer (up to 21 digits read); null when no digit is here. */
    Long unsigned() {
      int digits = 0;
      long n = 0;
      while (digits <= 20
          && at + digits < in.length
          && in[at + digits] >= '0'
          && in[at + digits] <= '9') {
        int d = in[at + digits] - '0';
        digits++;
        // n * 10 + d, unsigned, refusing what passes u64::MAX
        if (Long.compareUnsigned(n, Long.divideUnsigned(-1L, 10)) > 0) {
          throw new Failure("number too big to parse into 64-bit integer");
        }
        long times10 = n * 10;
        long sum = times10 + d;
        if (Long.compareUnsigned(sum, times10) < 0) {
          throw new Failure("number too big to parse into 64-bit integer");
        }
        n = sum;
      }
      if (digits == 0) {
        return null;
      }
      at += digits;
      return n;
    }

    /** After '.' or ',': up to nine digits, as billionths; null when no separator is here. */
    Integer fraction() {
      int b = peek();
      if (b != '.' && b != ',') {
        return null;
      }
      at++;
      int start = at;
      while (at - start < 9 && !atEnd() && in[at] >= '0' && in[at] <= '9') {
        at++;
      }
      if (at == start) {
        throw new Failure(
            "found decimal after seconds component, but did not find any digits after decimal");
      }
      String digits = new String(in, start, at - start, StandardCharsets.US_ASCII);
      return Integer.parseInt((digits + "000000000").substring(0, 9));
    }

    /** What remains after the duration must be nothing. */
    Span full(Span span) {
      if (!atEnd()) {
        String rest =
            new String(in, at, in.length - at, StandardCharsets.UTF_8)
                .replace("\\", "\\\\")
                .replace("\"", "\\\"");
        throw new Failure(
            "parsed value '"
                + span
                + "', but unparsed input \""
                + rest
                + "\" remains (expected no unparsed input)");
      }
      return span;
    }

    // ---------------------------------------------------------------- friendly: "1h 30m", "2 days
    // ago"

    Span friendly() {
      if (peek() == '0' && in.length == 1) {
        return new Span(); // restate-server takes a bare "0" (no unit) as zero
      }
      Integer prefix = null;
      if (peek() == '+' || peek() == '-') {
        prefix = peek() == '-' ? -1 : 1;
        at++;
      }
      Long first = unsigned();
      if (first == null) {
        throw new Failure(
            "expected duration to start with a unit value (a decimal integer) after an optional sign, "
                + "but no integer was found");
      }
      friendlyUnits(first);
      int sign = prefix == null ? 1 : prefix;
      if (whitespace(peek())) {
        skipWhitespace();
        boolean ago =
            at + 3 <= in.length && in[at] == 'a' && in[at + 1] == 'g' && in[at + 2] == 'o';
        if (ago) {
          if (prefix != null) {
            throw new Failure(
                "expected to find either a prefix sign (+/-) or a suffix sign (`ago`), but found both");
          }
          at += 3;
          sign = -1;
        }
      }
      units.sign = sign;
      return full(units.toSpan());
    }

    private void friendlyUnits(long firstValue) {
      boolean anyAfterComma = true;
      long value = firstValue;
      while (true) {
        if (peek() == ':') {
          at++;
          Long minute = unsigned();
          if (minute == null) {
            throw new Failure(
                "when parsing the `HH:MM:SS` format, expected to parse minute following hour");
          }
          if (peek() != ':') {
            throw new Failure(
                "when parsing the `HH:MM:SS` format, expected to parse `:` following minute");
          }
          at++;
          Long second = unsigned();
          if (second == null) {
            throw new Failure(
                "when parsing the `HH:MM:SS` format, expected to parse second following minute");
          }
          units.setHms(value, minute, second, fraction());
          break;
        }
        Integer frac = fraction();
        skipWhitespace();
        int unit = designator();
        if (peek() == ',') {
          at++;
          if (atEnd()) {
            throw new Failure("expected whitespace after comma, but found end of input");
          }
          int b = in[at] & 0xff;
          if (!whitespace(b)) {
            throw new Failure("expected whitespace after comma, but found `" + escape(b) + "`");
          }
          at++;
          anyAfterComma = false;
        }
        units.setUnit(unit, value);
        if (frac != null) {
          units.setFraction(frac);
          break; // a fraction ends the duration: it belongs to the smallest unit
        }
        int beforeWhitespace = at;
        skipWhitespace();
        Long next = unsigned();
        if (next == null) {
          at = beforeWhitespace; // the whitespace may precede "ago"
          break;
        }
        value = next;
        anyAfterComma = true;
      }
      if (!anyAfterComma) {
        throw new Failure(
            "found comma at the end of duration, but a comma indicates at least one more unit follows");
      }
    }

    private int designator() {
      for (int i = 0; i < LABEL_BYTES.length; i++) {
        byte[] l = LABEL_BYTES[i];
        if (at + l.length <= in.length
            && java.util.Arrays.equals(in, at, at + l.length, l, 0, l.length)) {
          at += l.length;
          return Integer.parseInt(LABELS[i][1]);
        }
      }
      throw new Failure(
          "expected to find unit designator suffix (e.g., `years` or `secs`) after parsing integer");
    }

    // ---------------------------------------------------------------- ISO 8601: "P1DT2H", "PT1.5S"

    Span iso() {
      int sign = 1;
      if (peek() == '+' || peek() == '-') {
        sign = peek() == '-' ? -1 : 1;
        at++;
      }
      at++; // 'P' or 'p', checked by the caller
      while (true) {
        Long value = unsigned();
        if (value == null) {
          break;
        }
        int b = peek();
        int unit =
            switch (b) {
              case 'Y', 'y' -> YEAR;
              case 'M', 'm' -> MONTH;
              case 'W', 'w' -> WEEK;
              case 'D', 'd' -> DAY;
              case -1 ->
                  throw new Failure(
                      "expected to find date unit designator suffix (`Y`, `M`, `W` or `D`), but "
                          + "found end of input");
              default ->
                  throw new Failure(
                      "expected to find date unit designator suffix (`Y`, `M`, `W` or `D`), but "
                          + "found `"
                          + escape(b)
                          + "` instead");
            };
        at++;
        units.setUnit(unit, value);
      }
      if (peek() == 'T' || peek() == 't') {
        at++;
        while (true) {
          Long value = unsigned();
          if (value == null) {
            break;
          }
          Integer frac = fraction();
          int b = peek();
          int unit =
              switch (b) {
                case 'H', 'h' -> HOUR;
                case 'M', 'm' -> MIN;
                case 'S', 's' -> SEC;
                case -1 ->
                    throw new Failure(
                        "expected to find time unit designator suffix (`H`, `M` or `S`), but found "
                            + "end of input");
                default ->
                    throw new Failure(
                        "expected to find time unit designator suffix (`H`, `M` or `S`), but found `"
                            + escape(b)
                            + "` instead");
              };
          at++;
          units.setUnit(unit, value);
          if (frac != null) {
            units.setFraction(frac);
            break;
          }
        }
        if (units.min < 0 || units.min > HOUR) {
          throw new Failure(
              "found a time designator (`T` or `t`) in an ISO 8601 duration string, but did not find "
                  + "any time units");
        }
      }
      units.sign = sign;
      return full(units.toSpan());
    }

    /** A byte as jiff shows it in errors: printable ASCII as is, others escaped ({@code \xNN}). */
    private static String escape(int b) {
      if (b >= 0x20 && b < 0x7f) {
        return b == '\\'
            ? "\\\\"
            : b == '\'' ? "\\'" : b == '"' ? "\\\"" : String.valueOf((char) b);
      }
      return switch (b) {
        case '\t' -> "\\t";
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        default -> String.format("\\x%02X", b);
      };
    }
  }
}
