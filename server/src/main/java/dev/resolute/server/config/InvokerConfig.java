package dev.resolute.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code [worker.invoker]}: how the server drives invocations on deployments.
 *
 * @param inactivityTimeout no message from the deployment for this long → ask it to suspend
 *     (default 1m). Zero is restate-server's always-suspending mode: the request stream is closed
 *     right after the replay, so the deployment suspends as soon as it waits for a completion and
 *     every step is a replay
 * @param abortTimeout after the inactivity timeout, abort the attempt after this long (default
 *     10m); zero (which restate-server also accepts) arms no abort timer
 * @param concurrentInvocationsLimit max invocations running on this node at once (default 1000)
 * @param requestIdentityPrivateKeyPemFile PKCS#8 Ed25519 key that signs discovery and invocation
 *     requests, or null
 */
public record InvokerConfig(
    Duration inactivityTimeout,
    Duration abortTimeout,
    int concurrentInvocationsLimit,
    Path requestIdentityPrivateKeyPemFile) {

  public InvokerConfig {
    if (inactivityTimeout == null || inactivityTimeout.isNegative()) {
      throw new IllegalArgumentException("worker.invoker.inactivity-timeout must not be negative");
    }
    if (abortTimeout == null || abortTimeout.isNegative()) {
      throw new IllegalArgumentException("worker.invoker.abort-timeout must not be negative");
    }
    if (concurrentInvocationsLimit < 1) {
      throw new IllegalArgumentException(
          "worker.invoker.concurrent-invocations-limit must be >= 1");
    }
  }

  public static InvokerConfig defaults() {
    return new InvokerConfig(Duration.ofMinutes(1), Duration.ofMinutes(10), 1000, null);
  }
}
