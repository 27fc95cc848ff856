package dev.resolute.server.invoker;

import dev.resolute.server.identity.RequestSigner;
import dev.resolute.server.schema.RetryPolicy;
import java.time.Duration;

/**
 * Invoker settings (server-wide defaults; per-handler values from the schema win).
 *
 * @param clusterName sent as {@code x-restate-cluster-name}
 * @param signer signs invocation requests (request identity), or null to send them unsigned
 */
public record InvokerOptions(
    Duration inactivityTimeout,
    Duration abortTimeout,
    RetryPolicy defaultRetryPolicy,
    String clusterName,
    int maxMessageSize,
    RequestSigner signer) {
  public InvokerOptions(
      Duration inactivityTimeout,
      Duration abortTimeout,
      RetryPolicy defaultRetryPolicy,
      String clusterName,
      int maxMessageSize) {
    this(inactivityTimeout, abortTimeout, defaultRetryPolicy, clusterName, maxMessageSize, null);
  }

  public static final InvokerOptions DEFAULTS =
      new InvokerOptions(
          Duration.ofMinutes(1),
          Duration.ofMinutes(10),
          RetryPolicy.DEFAULT,
          "localcluster",
          32 * 1024 * 1024);
}
