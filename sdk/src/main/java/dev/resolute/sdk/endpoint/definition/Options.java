package dev.resolute.sdk.endpoint.definition;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of a service or a handler advertised in the discovery manifest (all optional; unset means
 * the server default). Manifest V2: documentation, metadata; V3: timeouts, retentions, lazy state,
 * ingress-private; V4: the invocation retry policy.
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
}
