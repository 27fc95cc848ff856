package dev.resolute.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChaosPlanTest {
  @Test
  void theShortFormKillsTheServerFiveTimesAndTheDeploymentOnce() {
    ChaosPlan p = ChaosPlan.of(42, 0, true);
    assertThat(p.length()).isEqualTo(ChaosPlan.SHORT);
    assertThat(p.count(ChaosPlan.Kind.SERVER_KILL)).isEqualTo(5);
    assertThat(p.count(ChaosPlan.Kind.DEPLOYMENT_KILL)).isEqualTo(1);
    assertThat(p.count(ChaosPlan.Kind.DISK_FULL)).isEqualTo(1);
    assertThat(ChaosPlan.of(42, 0, false).count(ChaosPlan.Kind.DISK_FULL)).isZero();
  }

  @Test
  void faultsAreOrderedSpreadOverTheRunAndRepeatableBySeed() {
    ChaosPlan p = ChaosPlan.of(7, 10, true);
    assertThat(p.count(ChaosPlan.Kind.SERVER_KILL)).isEqualTo(50);
    assertThat(p.count(ChaosPlan.Kind.DEPLOYMENT_KILL)).isEqualTo(10);
    assertThat(p.count(ChaosPlan.Kind.DISK_FULL)).isEqualTo(3);
    Duration previous = Duration.ZERO;
    for (ChaosPlan.Fault f : p.faults()) {
      assertThat(f.at()).isGreaterThan(previous).isLessThan(p.length());
      previous = f.at();
    }
    assertThat(ChaosPlan.of(7, 10, true)).isEqualTo(p);
    assertThat(ChaosPlan.of(8, 10, true)).isNotEqualTo(p);
  }
}
