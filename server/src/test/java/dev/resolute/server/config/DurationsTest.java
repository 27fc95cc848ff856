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
    String designator = friendly + "expected to find unit designator suffix (e.g., `years` or `secs`) after parsing integer";
    assertThatThrownBy(() -> Durations.parse("")).hasMessage(
        "an empty string is not a valid duration in either the ISO 8601 format or Jiff's \"friendly\" format");
    assertThatThrownBy(() -> Durations.parse("xyz")).hasMessage(friendly + "expected duration to start with a unit "
        + "value (a decimal integer) after an optional sign, but no integer was found");
    assertThatThrownBy(() -> Durations.parse("5")).hasMessage(designator);
    assertThatThrownBy(() -> Durations.parse("1.5")).hasMessage(designator);
    assertThatThrownBy(() -> Durations.parse("5 blah")).hasMessage(designator);
    assertThatThrownBy(() -> Durations.parse("1s x")).hasMessage(friendly
        + "parsed value 'PT1S', but unparsed input \"x\" remains (expected no unparsed input)");
    assertThatThrownBy(() -> Durations.parse("P1M")).hasMessage("please use units of days or smaller");
    assertThatThrownBy(() -> Durations.parse("2months")).hasMessage("please use units of days or smaller");
    assertThatThrownBy(() -> Durations.parse("1y")).hasMessage("please use units of days or smaller");
    assertThatThrownBy(() -> Durations.parse("PT")).hasMessage(
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
    for (Duration d : new Duration[] {Duration.ofNanos(1_234_567_891_011L), Duration.ofDays(400), Duration.ofMillis(3)}) {
      assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
  }
}
