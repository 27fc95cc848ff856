package dev.resolute.server.schema;

import java.time.Duration;
import java.util.Map;

/** The latest revision of a registered service. Handlers keyed by name. */
public record ServiceSchema(
    String name,
    ServiceType type,
    int revision,
    String deploymentId,
    boolean isPublic,
    String documentation,
    Map<String, String> metadata,
    Map<String, HandlerSchema> handlers,
    Duration idempotencyRetention,
    Duration workflowCompletionRetention,
    Duration journalRetention,
    Duration inactivityTimeout,
    Duration abortTimeout,
    boolean enableLazyState,
    RetryPolicy retryPolicy) {

  public HandlerSchema handler(String name) {
    return handlers.get(name);
  }
}
