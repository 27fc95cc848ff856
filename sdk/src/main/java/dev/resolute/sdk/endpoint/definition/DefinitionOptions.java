package dev.resolute.sdk.endpoint.definition;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;

/**
 * The manifest options a {@link ServiceDefinition} and a {@link HandlerDefinition} both carry, read
 * under Restate's getter names (unset: {@code null}, the server default applies).
 */
public abstract class DefinitionOptions {
  final Options options = new Options();

  DefinitionOptions() {}

  /** The mutable manifest options. */
  public Options options() {
    return options;
  }

  public String getDocumentation() {
    return options.documentation;
  }

  public Map<String, String> getMetadata() {
    return Collections.unmodifiableMap(options.metadata);
  }

  public Duration getInactivityTimeout() {
    return options.inactivityTimeout;
  }

  public Duration getAbortTimeout() {
    return options.abortTimeout;
  }

  public Duration getIdempotencyRetention() {
    return options.idempotencyRetention;
  }

  public Duration getJournalRetention() {
    return options.journalRetention;
  }

  public Boolean getIngressPrivate() {
    return options.ingressPrivate;
  }

  public Boolean getEnableLazyState() {
    return options.enableLazyState;
  }

  public InvocationRetryPolicy getInvocationRetryPolicy() {
    return options.invocationRetryPolicy;
  }

  /** Resolute's extension: the declared rate, or null. */
  public Double getRatePerSecond() {
    return options.ratePerSecond;
  }

  /** Resolute's extension: the declared bucket size, or null (the default). */
  public Integer getRateBurst() {
    return options.rateBurst;
  }
}
