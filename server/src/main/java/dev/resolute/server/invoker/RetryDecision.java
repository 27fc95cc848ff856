package dev.resolute.server.invoker;

import dev.resolute.server.pb.AttemptFailed;
import dev.resolute.server.schema.RetryPolicy;
import java.util.random.RandomGenerator;

/**
 * Decides what a failed attempt means for the invocation, with an injected random source for the
 * jitter. Like restate-server 1.7.12: a delay chosen by the deployment ({@code ctx.run} retries)
 * does not use up the invocation retry policy; every other failure does, progress or not, until the
 * invocation suspends. When the policy's attempts run out the invocation is paused or killed.
 */
final class RetryDecision {
  private RetryDecision() {}

  /**
   * @param failure the failure as observed; {@code next_retry_delay_millis >= 0} when the
   *     deployment chose the delay
   * @param policyFailures failures already counted against the policy (before this one)
   * @return the failure with the decision: policy retry and its delay, or exhausted (and whether to
   *     kill)
   */
  static AttemptFailed decide(
      AttemptFailed failure, RetryPolicy policy, int policyFailures, RandomGenerator random) {
    int failures = policyFailures + 1;
    AttemptFailed.Builder b = failure.toBuilder();
    if (failure.getNextRetryDelayMillis() >= 0) {
      b.setPolicyRetry(false);
    } else if (policy.maxAttempts() != null && failures >= policy.maxAttempts()) {
      b.setExhausted(true)
          .setKillOnExhausted(policy.onMaxAttempts() == RetryPolicy.OnMaxAttempts.KILL);
    } else {
      long base = policy.delayBeforeRetry(failures).toMillis();
      long jitter = base == 0 ? 0 : random.nextLong(Math.max(1, base / 5));
      b.setNextRetryDelayMillis(base + jitter).setPolicyRetry(true);
    }
    return b.build();
  }
}
