package dev.resolute.server.invoker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.pb.AttemptFailed;
import dev.resolute.server.schema.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryDecisionTest {
  /** Always draws the largest jitter allowed, and records each bound asked for. */
  static final class MaxJitter implements RandomGenerator {
    final List<Long> bounds = new ArrayList<>();

    @Override
    public long nextLong() {
      throw new AssertionError("unbounded draw");
    }

    @Override
    public long nextLong(long bound) {
      bounds.add(bound);
      return bound - 1;
    }
  }

  static AttemptFailed failure(long nextRetryDelayMillis) {
    return AttemptFailed.newBuilder()
        .setCode(500)
        .setRestateCode("RT0006")
        .setMessage("boom")
        .setNextRetryDelayMillis(nextRetryDelayMillis)
        .build();
  }

  static final RetryPolicy POLICY =
      new RetryPolicy(
          Duration.ofMillis(500), 2.0, 4, Duration.ofMillis(1500), RetryPolicy.OnMaxAttempts.PAUSE);

  @Test
  void backoffGrowsByTheFactorUpToTheMaxIntervalWithAtMostAFifthOfJitter() {
    MaxJitter random = new MaxJitter();
    AttemptFailed first = RetryDecision.decide(failure(-1), POLICY, 0, random);
    assertThat(first.getPolicyRetry()).isTrue();
    assertThat(first.getExhausted()).isFalse();
    assertThat(first.getNextRetryDelayMillis()).isEqualTo(500 + 99);
    assertThat(RetryDecision.decide(failure(-1), POLICY, 1, random).getNextRetryDelayMillis())
        .isEqualTo(1000 + 199);
    assertThat(RetryDecision.decide(failure(-1), POLICY, 2, random).getNextRetryDelayMillis())
        .isEqualTo(1500 + 299);
    assertThat(random.bounds).containsExactly(100L, 200L, 300L);
  }

  @Test
  void theLastAllowedAttemptExhaustsThePolicyAndKillsOrPauses() {
    MaxJitter random = new MaxJitter();
    AttemptFailed paused = RetryDecision.decide(failure(-1), POLICY, 3, random);
    assertThat(paused.getExhausted()).isTrue();
    assertThat(paused.getKillOnExhausted()).isFalse();
    RetryPolicy killOnFirst =
        new RetryPolicy(
            Duration.ofMillis(1), 2.0, 1, Duration.ofMinutes(1), RetryPolicy.OnMaxAttempts.KILL);
    AttemptFailed killed = RetryDecision.decide(failure(-1), killOnFirst, 0, random);
    assertThat(killed.getExhausted()).isTrue();
    assertThat(killed.getKillOnExhausted()).isTrue();
    assertThat(killed.getMessage()).isEqualTo("boom");
    assertThat(random.bounds).isEmpty();
  }

  @Test
  void aDelayChosenByTheDeploymentDoesNotUseUpThePolicy() {
    AttemptFailed f = RetryDecision.decide(failure(250), POLICY, 3, new MaxJitter());
    assertThat(f.getPolicyRetry()).isFalse();
    assertThat(f.getExhausted()).isFalse();
    assertThat(f.getNextRetryDelayMillis()).isEqualTo(250);
  }

  @Test
  void unlimitedAttemptsNeverExhaustAndAZeroIntervalHasNoJitter() {
    RetryPolicy unlimited =
        new RetryPolicy(Duration.ZERO, 2.0, null, Duration.ZERO, RetryPolicy.OnMaxAttempts.KILL);
    MaxJitter random = new MaxJitter();
    AttemptFailed f = RetryDecision.decide(failure(-1), unlimited, 1_000_000, random);
    assertThat(f.getExhausted()).isFalse();
    assertThat(f.getNextRetryDelayMillis()).isZero();
    assertThat(random.bounds).isEmpty();
  }
}
