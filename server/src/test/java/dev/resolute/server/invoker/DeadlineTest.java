package dev.resolute.server.invoker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadlineTest {
  final AtomicLong now = new AtomicLong(1_000);
  final Deadline d = new Deadline(now::get);

  @Test
  void firstArmSchedulesACheckAtTheDeadline() {
    assertThat(d.arm(Duration.ofNanos(100))).isTrue();
    assertThat(d.delayNanos()).isEqualTo(100);
    now.addAndGet(100);
    assertThat(d.fire()).isEqualTo(Deadline.Check.EXPIRED);
    assertThat(d.armed()).isFalse();
    assertThat(d.fire()).as("a second firing of the same check").isEqualTo(Deadline.Check.STALE);
  }

  @Test
  void aLaterDeadlineKeepsTheScheduledCheckWhichThenAsksToBeMoved() {
    d.arm(Duration.ofNanos(100));
    now.addAndGet(50);
    assertThat(d.arm(Duration.ofNanos(100))).as("the scheduled check comes first").isFalse();
    now.addAndGet(50); // the check scheduled for 1100 fires; the deadline is now 1150
    assertThat(d.fire()).isEqualTo(Deadline.Check.MOVED);
    assertThat(d.delayNanos()).isEqualTo(50);
    now.addAndGet(50);
    assertThat(d.fire()).isEqualTo(Deadline.Check.EXPIRED);
  }

  @Test
  void anEarlierDeadlineNeedsANewCheckAndTheOldOneIsStale() {
    d.arm(Duration.ofNanos(1_000));
    assertThat(d.arm(Duration.ofNanos(10))).isTrue();
    assertThat(d.delayNanos()).isEqualTo(10);
    now.addAndGet(10);
    assertThat(d.fire()).isEqualTo(Deadline.Check.EXPIRED);
  }

  @Test
  void aCheckThatFiresEarlyOrAfterDisarmIsStale() {
    d.arm(Duration.ofNanos(100));
    now.addAndGet(99);
    assertThat(d.fire()).isEqualTo(Deadline.Check.STALE);
    d.disarm();
    now.addAndGet(10);
    assertThat(d.fire()).isEqualTo(Deadline.Check.STALE);
    assertThat(d.armed()).isFalse();
  }

  @Test
  void theTickerMayWrapAround() {
    now.set(Long.MAX_VALUE - 10);
    d.arm(Duration.ofNanos(100));
    now.addAndGet(50); // wraps
    assertThat(d.fire()).isEqualTo(Deadline.Check.STALE);
    now.addAndGet(50);
    assertThat(d.fire()).isEqualTo(Deadline.Check.EXPIRED);
  }
}
