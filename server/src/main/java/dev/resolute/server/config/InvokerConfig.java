package dev.resolute.server.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code [worker.invoker]}: how the server drives invocations on deployments.
 *
 * @param inactivityTimeout no message from the deployment for this long → ask it to suspend (default 1m)
 * @param abortTimeout after the inactivity timeout, abort the attempt after this long (default 10m)
 * @param concurrentInvocationsLimit max invocations running on this node at once (default 1000)
 * @param requestIdentityPrivateKeyPemFile PKCS#8 Ed25519 key that signs discovery and invocation requests, or null
 */
public record InvokerConfig(Duration inactivityTimeout, Duration abortTimeout, int concurrentInvocationsLimit,
    Path requestIdentityPrivateKeyPemFile) {

  public InvokerConfig {
    if (inactivityTimeout == null || inactivityTimeout.isNegative() || inactivityTimeout.isZero()) {
      throw new IllegalArgumentException("worker.invoker.inactivity-timeout must be positive");
    }
    if (abortTimeout == null || abortTimeout.isNegative() || abortTimeout.isZero()) {
      throw new IllegalArgumentException("worker.invoker.abort-timeout must be positive");
    }
    if (concurrentInvocationsLimit < 1) {
      throw new IllegalArgumentException("worker.invoker.concurrent-invocations-limit must be >= 1");
    }
  }

  public static InvokerConfig defaults() {
    return new InvokerConfig(Duration.ofMinutes(1), Duration.ofMinutes(10), 1000, null);
  }
}
