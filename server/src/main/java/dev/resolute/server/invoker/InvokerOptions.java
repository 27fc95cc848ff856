package dev.resolute.server.invoker;

import dev.resolute.server.schema.RetryPolicy;
import java.time.Duration;

/**
 * Invoker settings (server-wide defaults; per-handler values from the schema win).
 *
 * @param clusterName sent as {@code x-restate-cluster-name}
 */
public record InvokerOptions(Duration inactivityTimeout, Duration abortTimeout, RetryPolicy defaultRetryPolicy,
    String clusterName, int maxMessageSize) {
  public static final InvokerOptions DEFAULTS = new InvokerOptions(Duration.ofMinutes(1), Duration.ofMinutes(10),
      RetryPolicy.DEFAULT, "localcluster", 32 * 1024 * 1024);
}
