package dev.resolute.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesFriendlyFormat() {
    assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h 4m")).isEqualTo(Duration.ofMinutes(64));
    assertThat(Durations.parse("1s 500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("10 hours")).isEqualTo(Duration.ofHours(10));
    assertThat(Durations.parse("5d")).isEqualTo(Duration.ofDays(5));
    assertThat(Durations.parse("2 weeks")).isEqualTo(Duration.ofDays(14));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(Durations.parse("1h, 30 mins")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("0")).isZero();
  }

  @Test
  void parsesIso8601() {
    assertThat(Durations.parse("PT10S")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("P40D")).isEqualTo(Duration.ofDays(40));
    assertThat(Durations.parse("pt1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("P1DT2H")).isEqualTo(Duration.ofHours(26));
    assertThat(Durations.parse("P2W")).isEqualTo(Duration.ofDays(14));
    assertThat(Durations.parse("PT0.5S")).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void rejectsMalformed() {
    // messages as restate-server 1.7.12 (jiff) gives them, e.g. for ?delay= and RESTATE_… variables
    String friendly = "failed to parse input in the \"friendly\" duration format: ";
    String designator =
        friendly
            + "expected to find unit designator suffix (e.g., `years` or `secs`) after parsing integer";
    assertThatThrownBy(() -> Durations.parse(""))
        .hasMessage(
            "an empty string is not a valid duration in either the ISO 8601 format or Jiff's \"friendly\" format");
    assertThatThrownBy(() -> Durations.parse("xyz"))
        .hasMessage(
            friendly
                + "expected duration to start with a unit "
                + "value (a decimal integer) after an optional sign, but no integer was found");
    assertThatThrownBy(() -> Durations.parse("5")).hasMessage(designator);
    assertThatThrownBy(() -> Durations.parse("1.5")).hasMessage(designator);
    assertThatThrownBy(() -> Durations.parse("5 blah")).hasMessage(designator);
    assertThatThrownBy(() -> Durations.parse("1s x"))
        .hasMessage(
            friendly
                + "parsed value 'PT1S', but unparsed input \"x\" remains (expected no unparsed input)");
    assertThatThrownBy(() -> Durations.parse("P1M"))
        .hasMessage("please use units of days or smaller");
    assertThatThrownBy(() -> Durations.parse("2months"))
        .hasMessage("please use units of days or smaller");
    assertThatThrownBy(() -> Durations.parse("1y"))
        .hasMessage("please use units of days or smaller");
    assertThatThrownBy(() -> Durations.parse("PT"))
        .hasMessage(
            "found a time designator (`T` or `t`) in an ISO 8601 duration string, but did not find any time units");
    assertThatThrownBy(() -> Durations.parse("PTXS")).hasMessageContaining("ISO 8601");
    // designators are lower case: "10S" and "5M" are not durations
    assertThatThrownBy(() -> Durations.parse("10S")).hasMessage(designator);
    assertThatThrownBy(() -> Durations.parse("5M")).hasMessage(designator);
    assertThat(Durations.parse("1milli")).isEqualTo(Duration.ofMillis(1));
    assertThat(Durations.parse("1nsecs")).isEqualTo(Duration.ofNanos(1));
  }

  @Test
  void formatsLikeRestateDumpConfig() {
    // values as restate-server 1.7.12 prints them in --dump-config
    assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("1d");
    assertThat(Durations.format(Duration.ofMinutes(1))).isEqualTo("1m");
    assertThat(Durations.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1s 500ms");
    assertThat(Durations.format(Duration.ofMinutes(64))).isEqualTo("1h 4m");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void formatParsesBack() {
    for (Duration d :
        new Duration[] {
          Duration.ofNanos(1_234_567_891_011L), Duration.ofDays(400), Duration.ofMillis(3)
        }) {
      assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
  }

  @Test
  void formatOfALongDurationStaysWithinEachUnitsLimitSoItParsesBack() {
    // 876000000h parses (hours spill into smaller units); printed as whole days it would be
    // 36500000d, over the 7304484 days a span holds, and --dump-config would not load again
    Duration d = Durations.parse("876000000h");
    String printed = Durations.format(d);
    assertThat(printed).startsWith("7304484d 175307616h ");
    assertThat(Durations.parse(printed)).isEqualTo(d);
  }

  private static final String FRIENDLY =
      "failed to parse input in the \"friendly\" duration format: ";
  private static final String DESIGNATOR =
      "expected to find unit designator suffix (e.g., `years` or `secs`) after parsing integer";

  /**
   * Inputs sent as {@code ?delay=} to restate-server 1.7.12, with what it answered: the duration it
   * scheduled ("= …", ISO form of java.time) or its error message (after "bad delay query
   * parameter, must be a ISO8601 duration: ").
   */
  private static final String[][] RESTATE_ANSWERS = {
    {"213504d", "= PT5124096H"},
    {"9223372036854775807ns", "= PT2562047H47M16.854775807S"},
    {"1s 9223372036854775807ns", "= PT2562047H47M17.854775807S"},
    {"106752d", "= PT2562048H"},
    {"7304484d", "= PT175307616H"},
    {"1043497w", "= PT175307496H"},
    {"175307617h", "= PT175307617H"},
    {"631107417601s", "= PT175307616H1S"},
    {"PT175307617H", "= PT175307617H"},
    {"P7304484DT1H", "= PT175307617H"},
    {"-0s", "= PT0S"},
    {"0s ago", "= PT0S"},
    {"0", "= PT0S"},
    {"0.5s", "= PT0.5S"},
    {"1.5h", "= PT1H30M"},
    {"PT1.5S", "= PT1.5S"},
    {"PT1.5H", "= PT1H30M"},
    {"1h1.5s", "= PT1H1.5S"},
    {"01:02:03", "= PT1H2M3S"},
    {"1d 01:02:03.5", "= PT25H2M3.5S"},
    {"P1W1D", "= PT192H"},
    {"5\u00b5s", "= PT0.000005S"},
    {"p1d", "= PT24H"},
    {"pt1h", "= PT1H"},
    {"1h 1m 1s 1ms 1us 1ns", "= PT1H1M1.001001001S"},
    {"18446744083709551616ns", FRIENDLY + "number too big to parse into 64-bit integer"},
    {"99999999999999999999s", FRIENDLY + "number too big to parse into 64-bit integer"},
    {"1s 99999999999999999999ns", FRIENDLY + "number too big to parse into 64-bit integer"},
    {
      "18446744073709551615ns",
      FRIENDLY
          + "value for nanoseconds is too big (or small) to fit into a signed 64-bit "
          + "integer"
    },
    {
      "9223372036854775808ns",
      FRIENDLY
          + "value for nanoseconds is too big (or small) to fit into a signed 64-bit "
          + "integer"
    },
    {
      "18446744073709551615s",
      FRIENDLY + "value for seconds is too big (or small) to fit into a signed 64-bit " + "integer"
    },
    {
      "P99999999999999D",
      "failed to set value for day unit on span: parameter 'days' is not in the required range "
          + "of -7304484..=7304484"
    },
    {
      "P1000000000D",
      "failed to set value for day unit on span: parameter 'days' is not in the required range of "
          + "-7304484..=7304484"
    },
    {
      "P7304485D",
      "failed to set value for day unit on span: parameter 'days' is not in the required range of "
          + "-7304484..=7304484"
    },
    {
      "10000000d",
      FRIENDLY
          + "failed to set value for day unit on span: parameter 'days' is not in the required "
          + "range of -7304484..=7304484"
    },
    {
      "7304485d",
      FRIENDLY
          + "failed to set value for day unit on span: parameter 'days' is not in the required "
          + "range of -7304484..=7304484"
    },
    {
      "1043498w",
      FRIENDLY
          + "failed to set value for week unit on span: parameter 'weeks' is not in the required "
          + "range of -1043497..=1043497"
    },
    {
      "P9999999999999W",
      "failed to set value for week unit on span: parameter 'weeks' is not in the required range "
          + "of -1043497..=1043497"
    },
    {
      "PT9223372036854775807S",
      "failed to set value for second unit on span: failed to set nanosecond value from "
          + "fractional component"
    },
    {
      "PT9223372036854775808S",
      "value for seconds is too big (or small) to fit into a signed 64-bit integer"
    },
    {
      "PT99999999999999H",
      "failed to set value for hour unit on span: failed to set nanosecond value from "
          + "fractional component"
    },
    {
      "2562047788015215h",
      FRIENDLY
          + "failed to set value for hour unit on span: failed to set nanosecond value "
          + "from fractional component"
    },
    {
      "2562047788015216h",
      FRIENDLY
          + "failed to set value for hour unit on span: converting hours to seconds "
          + "overflows a signed 64-bit integer"
    },
    {
      "9223372036854775807h",
      FRIENDLY
          + "failed to set value for hour unit on span: converting hours to seconds "
          + "overflows a signed 64-bit integer"
    },
    {
      "153722867280912930m",
      FRIENDLY
          + "failed to set value for minute unit on span: failed to set nanosecond "
          + "value from fractional component"
    },
    {
      "153722867280912931m",
      FRIENDLY
          + "failed to set value for minute unit on span: converting minutes to "
          + "seconds overflows a signed 64-bit integer"
    },
    {
      "9223372036854775807us",
      FRIENDLY
          + "failed to set value for microsecond unit on span: failed to set "
          + "nanosecond value from fractional component"
    },
    {
      "9223372036854775807ms",
      FRIENDLY
          + "failed to set value for millisecond unit on span: failed to set "
          + "nanosecond value from fractional component"
    },
    {
      "9223372036854775807s",
      FRIENDLY
          + "failed to set value for second unit on span: failed to set nanosecond "
          + "value from fractional component"
    },
    {"1.5d", FRIENDLY + "fractional days are not supported"},
    {"1e3s", FRIENDLY + DESIGNATOR},
    {"1.0000000001s", FRIENDLY + DESIGNATOR},
    {"5\u03bcs", FRIENDLY + DESIGNATOR},
    {"1 ago x", FRIENDLY + DESIGNATOR},
    {
      "-P1Y",
      "could not compute normalized relative span when all days are assumed to be 24 hours: using unit "
          + "'year' in span or configuration requires that a relative reference time be given "
          + "(`jiff::SpanRelativeTo::days_are_24_hours()` was given but this only permits using days and weeks "
          + "without a relative reference time)"
    },
    {"1s ago", "negative signed durations cannot be converted to an unsigned duration"},
    {"-1s", "negative signed durations cannot be converted to an unsigned duration"},
    {"-P1D", "negative signed durations cannot be converted to an unsigned duration"},
    {
      " 5s",
      FRIENDLY
          + "expected duration to start with a unit value (a decimal integer) after an optional sign, "
          + "but no integer was found"
    },
    {
      "-",
      "found nothing after sign `-`, which is not a valid duration in either the ISO 8601 format or Jiff's "
          + "\"friendly\" format"
    },
    {"P", "no parsed duration components"},
    {
      "PT",
      "found a time designator (`T` or `t`) in an ISO 8601 duration string, but did not find any time units"
    },
    {
      "P1DT",
      "found a time designator (`T` or `t`) in an ISO 8601 duration string, but did not find any time "
          + "units"
    },
    {
      "P1",
      "expected to find date unit designator suffix (`Y`, `M`, `W` or `D`), but found end of input"
    },
    {
      "PT1",
      "expected to find time unit designator suffix (`H`, `M` or `S`), but found end of input"
    },
    {
      "P1.5D",
      "expected to find date unit designator suffix (`Y`, `M`, `W` or `D`), but found `.` instead"
    },
    {
      "PT0.0000000001S",
      "expected to find time unit designator suffix (`H`, `M` or `S`), but found `1` instead"
    },
    {"P1Y", "please use units of days or smaller"},
    {
      "10s x",
      FRIENDLY
          + "parsed value 'PT10S', but unparsed input \"x\" remains (expected no unparsed input)"
    },
    {
      "1d x",
      FRIENDLY + "parsed value 'P1D', but unparsed input \"x\" remains (expected no unparsed input)"
    },
    {
      "1.5s x",
      FRIENDLY
          + "parsed value 'PT1.5S', but unparsed input \"x\" remains (expected no unparsed input)"
    },
    {
      "1 sx",
      FRIENDLY
          + "parsed value 'PT1S', but unparsed input \"x\" remains (expected no unparsed input)"
    },
    {
      "PT1.5H1S",
      "parsed value 'PT1H30M', but unparsed input \"1S\" remains (expected no unparsed input)"
    },
    {
      "1, 1s",
      FRIENDLY + "found decimal after seconds component, but did not find any digits after decimal"
    },
    {
      "1.s",
      FRIENDLY + "found decimal after seconds component, but did not find any digits after decimal"
    },
    {"PT1.S", "found decimal after seconds component, but did not find any digits after decimal"},
    {"1s,", FRIENDLY + "expected whitespace after comma, but found end of input"},
    {"1s,x", FRIENDLY + "expected whitespace after comma, but found `x`"},
    {
      "PT1M1H",
      "found value with unit hour after unit minute, but units must be written from largest to smallest "
          + "(and they can't be repeated)"
    },
    {
      "1s 1s",
      FRIENDLY
          + "found value with unit second after unit second, but units must be written from largest "
          + "to smallest (and they can't be repeated)"
    },
  };

  @Test
  void answersAsRestateServerDoesIncludingItsLimits() {
    for (String[] c : RESTATE_ANSWERS) {
      if (c[1].startsWith("= ")) {
        assertThat(Durations.parse(c[0])).as(c[0]).isEqualTo(Duration.parse(c[1].substring(2)));
      } else {
        assertThatThrownBy(() -> Durations.parse(c[0]))
            .as(c[0])
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(c[1]);
      }
    }
  }

  @Test
  void theLargestDurationStaysFarBelowTheLimitsOfALong() {
    // every unit at its span limit: about 140 000 years, far in range of toMillis
    assertThat(
            Durations.parse(
                    "1043497w 7304484d 175307616h 10518456960m 631107417600s 631107417600000ms "
                        + "631107417600000000us 9223372036854775807ns")
                .toMillis())
        .isBetween(130_000L * 365 * 86_400_000, 150_000L * 366 * 86_400_000);
    // a single time unit spills into the smaller ones up to the same total, and no further
    assertThat(Durations.parse("876000000h").toHours()).isEqualTo(876_000_000L);
    assertThatThrownBy(() -> Durations.parse("880000000h"))
        .hasMessageEndingWith(
            "failed to set value for hour unit on span: failed to set nanosecond value from fractional component");
  }

  @Test
  void executionTimesEndWhereRestateServerCanPrintThem() {
    long now = java.time.Instant.parse("2026-11-22T00:00:00Z").toEpochMilli();
    assertThat(Durations.executionTime(now, Duration.ofSeconds(10))).isEqualTo(now + 10_000);
    long last = Durations.MAX_EXECUTION_TIME_MILLIS;
    assertThat(java.time.Instant.ofEpochMilli(last)).hasToString("9999-12-31T23:59:59.999Z");
    assertThat(Durations.executionTime(last - 1000, Duration.ofSeconds(1))).isEqualTo(last);
    assertThatThrownBy(() -> Durations.executionTime(last - 999, Duration.ofSeconds(1)))
        .hasMessage("the delay 1000ms puts the execution time after 9999-12-31T23:59:59.999Z");
  }
}
