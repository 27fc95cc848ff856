package dev.resolute.sdk.endpoint.definition;

import java.time.Duration;
import java.util.Map;

/**
 * The options a service and a handler share, under Restate's configurator names; the setters return
 * the concrete configurator ({@link ServiceDefinition.Configurator} or {@link
 * HandlerDefinition.Configurator}) so calls chain. Each option is advertised in the discovery
 * manifest when the negotiated version has it (V2: documentation, metadata; V3: timeouts,
 * retentions, lazy state, ingress-private; V4: retry policy); unset means the server default.
 */
public abstract class OptionsConfigurator<C extends OptionsConfigurator<C>> {
  final Options o;

  OptionsConfigurator(Options options) {
    this.o = options;
  }

  @SuppressWarnings("unchecked")
  private C self() {
    return (C) this;
  }

  public String documentation() {
    return o.documentation;
  }

  public C documentation(String documentation) {
    o.documentation = documentation;
    return self();
  }

  public Map<String, String> metadata() {
    return o.metadata;
  }

  public C addMetadata(String key, String value) {
    o.metadata.put(key, value);
    return self();
  }

  /** Replaces all metadata. */
  public C metadata(Map<String, String> metadata) {
    o.metadata.clear();
    o.metadata.putAll(metadata);
    return self();
  }

  public Duration inactivityTimeout() {
    return o.inactivityTimeout;
  }

  public C inactivityTimeout(Duration d) {
    o.inactivityTimeout = d;
    return self();
  }

  public Duration abortTimeout() {
    return o.abortTimeout;
  }

  public C abortTimeout(Duration d) {
    o.abortTimeout = d;
    return self();
  }

  public Duration idempotencyRetention() {
    return o.idempotencyRetention;
  }

  public C idempotencyRetention(Duration d) {
    o.idempotencyRetention = d;
    return self();
  }

  public Duration journalRetention() {
    return o.journalRetention;
  }

  public C journalRetention(Duration d) {
    o.journalRetention = d;
    return self();
  }

  public Boolean ingressPrivate() {
    return o.ingressPrivate;
  }

  public C ingressPrivate(Boolean b) {
    o.ingressPrivate = b;
    return self();
  }

  public Boolean enableLazyState() {
    return o.enableLazyState;
  }

  /** Meaningful for virtual objects and workflows (state is then fetched per {@code get}). */
  public C enableLazyState(Boolean b) {
    o.enableLazyState = b;
    return self();
  }

  public InvocationRetryPolicy invocationRetryPolicy() {
    return o.invocationRetryPolicy;
  }

  public C invocationRetryPolicy(InvocationRetryPolicy policy) {
    o.invocationRetryPolicy = policy;
    return self();
  }

  public C invocationRetryPolicy(InvocationRetryPolicy.Builder policy) {
    return invocationRetryPolicy(policy.build());
  }

  public Double ratePerSecond() {
    return o.ratePerSecond;
  }

  public Integer rateBurst() {
    return o.rateBurst;
  }

  /**
   * Resolute's extension: at most {@code perSecond} invocations start per second (a token bucket of
   * max(1, ceil(perSecond))); the Resolute server applies it as a limit rule when the deployment
   * registers, restate-server ignores it.
   */
  public C rateLimit(double perSecond) {
    o.rateLimit(perSecond, null);
    return self();
  }

  /** As {@link #rateLimit(double)} with a bucket of {@code burst} (>= 1). */
  public C rateLimit(double perSecond, int burst) {
    o.rateLimit(perSecond, burst);
    return self();
  }
}
