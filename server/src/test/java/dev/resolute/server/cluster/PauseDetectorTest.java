package dev.resolute.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PauseDetectorTest {
  @Test
  void aGapOfTheThresholdHoldsTheLeaseUntilCleared() {
    PauseDetector d = new PauseDetector(Duration.ofSeconds(1), false);
    long t = System.nanoTime();
    d.tick(t);
    assertThat(d.leaseValid()).isTrue();
    d.tick(t + 500_000_000L);
    assertThat(d.pausedMillis()).isZero();
    d.tick(t + 1_700_000_000L); // 1.2 s since the last tick: a pause
    assertThat(d.pausedMillis()).isEqualTo(1200);
    assertThat(d.leaseValid()).as("the pause noticed, not cleared").isFalse();
    d.tick(System.nanoTime());
    assertThat(d.leaseValid()).as("ticks again, but still not cleared").isFalse();
    d.clear();
    assertThat(d.leaseValid()).isTrue();
  }

  @Test
  void aLeaseAskedAfterAStandStillTheTickerHasNotSeenYetIsInvalid() {
    PauseDetector d = new PauseDetector(Duration.ofMillis(200), false);
    d.tick(System.nanoTime() - 300_000_000L); // the last tick 300 ms ago, nothing since
    assertThat(d.pausedMillis()).isZero();
    assertThat(d.leaseValid()).isFalse();
  }
}
