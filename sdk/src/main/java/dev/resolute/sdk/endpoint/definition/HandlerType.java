package dev.resolute.sdk.endpoint.definition;

/**
 * The kind of a handler: exclusive (VO), shared (VO/workflow/plain service) or the workflow main
 * handler.
 */
public enum HandlerType {
  EXCLUSIVE,
  SHARED,
  WORKFLOW
}
