package dev.resolute.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code [worker.invoker]}: how the server drives invocations on deployments.
 *
 * @param inactivityTimeout no message from the deployment for this long → ask it to suspend
 *     (default 1m). Zero is restate-server's always-suspending mode: the request stream is closed
 *     right after the replay, so the deployment suspends as soon as it waits for a completion and
 *     every step is a replay
 * @param abortTimeout after the inactivity timeout, abort the attempt after this long (default
 *     10m); zero (which restate-server also accepts) arms no abort timer
 * @param concurrentInvocationsLimit at most this many invocation attempts run against deployments
 *     at once on this node (default 1000); later ones wait in arrival order
 * @param requestIdentityPrivateKeyPemFile PKCS#8 Ed25519 key that signs discovery and invocation
 *     requests, or null (also from the deprecated top-level key)
 * @param requestIdentityExpiration lifetime of each signed request's JWT (default 1m)
 * @param connectTimeout TCP connect timeout towards deployments (default 10s; the top-level {@code
 *     connect-timeout} unless {@code [worker.invoker]} sets one)
 * @param additionalRequestHeaders headers added to every request to deployments: the top-level
 *     {@code additional-request-headers}, overridden name by name by {@code [worker.invoker]}'s
 * @param messageSizeWarning a protocol message from a deployment larger than this is logged as a
 *     warning (default 10 MiB)
 * @param messageSizeLimit a protocol message from a deployment larger than this fails the attempt
 *     with RT0003 (default 32 MiB)
 */
public record InvokerConfig(
    Duration inactivityTimeout,
    Duration abortTimeout,
    int concurrentInvocationsLimit,
    Path requestIdentityPrivateKeyPemFile,
    Duration requestIdentityExpiration,
    Duration connectTimeout,
    Map<String, String> additionalRequestHeaders,
    long messageSizeWarning,
    long messageSizeLimit) {

  public static final Duration DEFAULT_REQUEST_IDENTITY_EXPIRATION = Duration.ofMinutes(1);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final long DEFAULT_MESSAGE_SIZE_WARNING = 10L * 1024 * 1024;
  public static final long DEFAULT_MESSAGE_SIZE_LIMIT = 32L * 1024 * 1024;

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
    if (requestIdentityExpiration == null
        || requestIdentityExpiration.isNegative()
        || requestIdentityExpiration.isZero()) {
      throw new IllegalArgumentException(
          "worker.invoker.request-identity-expiration must be positive");
    }
    if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("worker.invoker.connect-timeout must be positive");
    }
    if (connectTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "worker.invoker.connect-timeout must be at most " + Integer.MAX_VALUE + "ms");
    }
    additionalRequestHeaders = Map.copyOf(additionalRequestHeaders);
    // frames are read into arrays: a limit beyond what one can hold is no limit
    if (messageSizeLimit < 1 || messageSizeLimit > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "worker.invoker.message-size-limit must be in 1.." + (Integer.MAX_VALUE - 8) + " bytes");
    }
    if (messageSizeWarning < 1) {
      throw new IllegalArgumentException("worker.invoker.message-size-warning must be >= 1");
    }
  }

  /** The fields restate-server's SDK test suite and older callers set; the rest default. */
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
        DEFAULT_REQUEST_IDENTITY_EXPIRATION,
        DEFAULT_CONNECT_TIMEOUT,
        Map.of(),
        DEFAULT_MESSAGE_SIZE_WARNING,
        DEFAULT_MESSAGE_SIZE_LIMIT);
  }

  public static InvokerConfig defaults() {
    return new InvokerConfig(Duration.ofMinutes(1), Duration.ofMinutes(10), 1000, null);
  }
}
