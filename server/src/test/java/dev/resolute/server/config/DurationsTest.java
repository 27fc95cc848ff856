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
    assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> Durations.parse("xyz")).hasMessageContaining("expected a number");
    assertThatThrownBy(() -> Durations.parse("5")).hasMessageContaining("missing unit");
    assertThatThrownBy(() -> Durations.parse("5 blah")).hasMessageContaining("unknown unit 'blah'");
    assertThatThrownBy(() -> Durations.parse("P1M")).hasMessageContaining("months");
    assertThatThrownBy(() -> Durations.parse("PTXS")).hasMessageContaining("ISO 8601");
    // "M" would be months in humantime: ambiguous, rejected
    assertThatThrownBy(() -> Durations.parse("5M")).hasMessageContaining("unknown unit");
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
