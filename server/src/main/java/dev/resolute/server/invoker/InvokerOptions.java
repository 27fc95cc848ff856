package dev.resolute.server.invoker;

import dev.resolute.server.identity.RequestSigner;
import dev.resolute.server.schema.RetryPolicy;
import java.time.Duration;

/**
 * Invoker settings (server-wide defaults; per-handler values from the schema win).
 *
 * @param clusterName sent as {@code x-restate-cluster-name}
 * @param maxMessageSize a message from a deployment longer than this fails the attempt (RT0003) as
 *     soon as its frame header is read
 * @param messageSizeWarning a message from a deployment longer than this is logged as a warning
 * @param concurrentInvocationsLimit attempts running against deployments at once; later ones wait
 *     in arrival order until one ends
 * @param signer signs invocation requests (request identity), or null to send them unsigned
 */
public record InvokerOptions(
    Duration inactivityTimeout,
    Duration abortTimeout,
    RetryPolicy defaultRetryPolicy,
    String clusterName,
    int maxMessageSize,
    long messageSizeWarning,
    int concurrentInvocationsLimit,
    RequestSigner signer) {
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 32 * 1024 * 1024;
  public static final long DEFAULT_MESSAGE_SIZE_WARNING = 10L * 1024 * 1024;
  public static final int DEFAULT_CONCURRENT_INVOCATIONS_LIMIT = 1000;

  public InvokerOptions {
    if (maxMessageSize < 1 || messageSizeWarning < 1 || concurrentInvocationsLimit < 1) {
      throw new IllegalArgumentException(
          "message size limit, warning and concurrent invocations limit must be >= 1");
    }
  }

  public InvokerOptions(
      Duration inactivityTimeout,
      Duration abortTimeout,
      RetryPolicy defaultRetryPolicy,
      String clusterName,
      int maxMessageSize) {
    this(
        inactivityTimeout,
        abortTimeout,
        defaultRetryPolicy,
        clusterName,
        maxMessageSize,
        DEFAULT_MESSAGE_SIZE_WARNING,
        DEFAULT_CONCURRENT_INVOCATIONS_LIMIT,
        null);
  }

  public static final InvokerOptions DEFAULTS =
      new InvokerOptions(
          Duration.ofMinutes(1),
          Duration.ofMinutes(10),
          RetryPolicy.DEFAULT,
          "localcluster",
          DEFAULT_MAX_MESSAGE_SIZE);

  /** These options with other message size bounds and concurrency limit. */
  public InvokerOptions withLimits(
      int maxMessageSize, long messageSizeWarning, int concurrentInvocationsLimit) {
    return new InvokerOptions(
        inactivityTimeout,
        abortTimeout,
        defaultRetryPolicy,
        clusterName,
        maxMessageSize,
        messageSizeWarning,
        concurrentInvocationsLimit,
        signer);
  }
}
