package dev.resolute.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitTest {

  @Test
  void returnsOnceTheConditionHoldsAndTreatsExceptionsAsNotYet() {
    AtomicInteger calls = new AtomicInteger();
    Wait.until(
        "third call",
        Duration.ofSeconds(5),
        () -> {
          if (calls.incrementAndGet() == 1) {
            throw new java.io.IOException("connection refused");
          }
          return calls.get() >= 3;
        });
    assertThat(calls).hasValue(3);
  }

  @Test
  void forValueReturnsTheFirstNonNullValue() {
    AtomicInteger calls = new AtomicInteger();
    assertThat(
            Wait.forValue(
                "a value", Duration.ofSeconds(5), () -> calls.incrementAndGet() < 2 ? null : "v"))
        .isEqualTo("v");
  }

  @Test
  void timesOutNamingWhatItWaitedForAndTheLastError() {
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () ->
                Wait.until(
                    "the moon",
                    Duration.ofMillis(200),
                    () -> {
                      throw new IllegalStateException("not yet risen");
                    }))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the moon")
        .hasMessageContaining("not yet risen");
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aProcessThatExitedFailsAtOnce() {
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () ->
                Wait.until(
                    "a dead process",
                    Duration.ofSeconds(30),
                    () -> {
                      throw new ProcessExitedException("exited with 1");
                    }))
        .isInstanceOf(ProcessExitedException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }
}
