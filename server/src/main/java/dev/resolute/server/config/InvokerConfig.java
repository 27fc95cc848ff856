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
 * @param messageSizeLimit a protocol message from a deployment larger than this fails the attempt
 *     with RT0003 (default 32 MiB)
 * @param messageSizeWarning a protocol message from a deployment larger than this is logged as a
 *     warning (default 10 MiB)
 */
public record InvokerConfig(
    Duration inactivityTimeout,
    Duration abortTimeout,
    int concurrentInvocationsLimit,
    Path requestIdentityPrivateKeyPemFile,
    long messageSizeLimit,
    long messageSizeWarning) {
  public static final long DEFAULT_MESSAGE_SIZE_LIMIT = 32L * 1024 * 1024;
  public static final long DEFAULT_MESSAGE_SIZE_WARNING = 10L * 1024 * 1024;

  /** With the default message size limit and warning. */
  public InvokerConfig(
      Duration inactivityTimeout,
      Duration abortTimeout,
      int concurrentInvocationsLimit,
      Path requestIdentityPrivateKeyPemFile) {
    this(
        inactivityTimeout,
        abortTimeout,
        concurrentInvocationsLimit,
        requestIdentityPrivateKeyPemFile,
        DEFAULT_MESSAGE_SIZE_LIMIT,
        DEFAULT_MESSAGE_SIZE_WARNING);
  }

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
    // frames are read into arrays: a limit beyond what one can hold is no limit
    if (messageSizeLimit < 1 || messageSizeLimit > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "worker.invoker.message-size-limit must be in 1.." + (Integer.MAX_VALUE - 8) + " bytes");
    }
    if (messageSizeWarning < 1) {
      throw new IllegalArgumentException("worker.invoker.message-size-warning must be >= 1");
    }
  }

  public static InvokerConfig defaults() {
    return new InvokerConfig(Duration.ofMinutes(1), Duration.ofMinutes(10), 1000, null);
  }
}
