package dev.resolute.sdk.endpoint.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options of a service or a handler advertised in the discovery manifest (all optional; unset means
 * the server default). Manifest V2: documentation, metadata; V3: timeouts, retentions, lazy state,
 * ingress-private; V4: the invocation retry policy. Resolute's extensions (metadata entries of
 * manifest V2+, which restate-server keeps as plain metadata): a token-bucket rate and, on
 * handlers, cron schedules.
 */
public final class Options {
  String documentation;
  final Map<String, String> metadata = new LinkedHashMap<>();
  Duration inactivityTimeout;
  Duration abortTimeout;
  Duration idempotencyRetention;
  Duration journalRetention;
  Duration workflowRetention;
  Boolean ingressPrivate;
  Boolean enableLazyState;
  InvocationRetryPolicy invocationRetryPolicy;
  Double ratePerSecond;
  Integer rateBurst;
  final List<ScheduleDefinition> schedules = new ArrayList<>();

  public Options documentation(String documentation) {
    this.documentation = documentation;
    return this;
  }

  public Options metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  public Options inactivityTimeout(Duration d) {
    this.inactivityTimeout = d;
    return this;
  }

  public Options abortTimeout(Duration d) {
    this.abortTimeout = d;
    return this;
  }

  public Options idempotencyRetention(Duration d) {
    this.idempotencyRetention = d;
    return this;
  }

  public Options journalRetention(Duration d) {
    this.journalRetention = d;
    return this;
  }

  /** Workflow main handler only. */
  public Options workflowRetention(Duration d) {
    this.workflowRetention = d;
    return this;
  }

  public Options ingressPrivate(boolean b) {
    this.ingressPrivate = b;
    return this;
  }

  public Options enableLazyState(boolean b) {
    this.enableLazyState = b;
    return this;
  }

  /** The invocation retry policy (manifest V4). */
  public Options invocationRetryPolicy(InvocationRetryPolicy policy) {
    this.invocationRetryPolicy = policy;
    return this;
  }

  public String documentation() {
    return documentation;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  public Duration inactivityTimeout() {
    return inactivityTimeout;
  }

  public Duration abortTimeout() {
    return abortTimeout;
  }

  public Duration idempotencyRetention() {
    return idempotencyRetention;
  }

  public Duration journalRetention() {
    return journalRetention;
  }

  public Duration workflowRetention() {
    return workflowRetention;
  }

  public Boolean ingressPrivate() {
    return ingressPrivate;
  }

  public Boolean enableLazyState() {
    return enableLazyState;
  }

  public InvocationRetryPolicy invocationRetryPolicy() {
    return invocationRetryPolicy;
  }

  /**
   * Resolute's extension: at most {@code perSecond} invocations start per second, with a bucket of
   * {@code burst} (null: max(1, ceil(perSecond))); the server applies it as a limit rule.
   */
  public Options rateLimit(double perSecond, Integer burst) {
    checkRate(perSecond, burst);
    this.ratePerSecond = perSecond;
    this.rateBurst = burst;
    return this;
  }

  /** Resolute's extension, handlers only: a cron schedule invoking the handler. */
  public Options schedule(ScheduleDefinition schedule) {
    schedules.add(java.util.Objects.requireNonNull(schedule, "schedule"));
    return this;
  }

  public Double ratePerSecond() {
    return ratePerSecond;
  }

  public Integer rateBurst() {
    return rateBurst;
  }

  public List<ScheduleDefinition> schedules() {
    return List.copyOf(schedules);
  }

  static void checkRate(double perSecond, Integer burst) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("a rate must be > 0 per second, got " + perSecond);
    }
    if (burst != null && burst < 1) {
      throw new IllegalArgumentException("a burst must be >= 1, got " + burst);
    }
  }
}
