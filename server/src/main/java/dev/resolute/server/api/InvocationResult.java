package dev.resolute.server.api;

import dev.resolute.protocol.id.InvocationId;

/**
 * The outcome of a call, with the id of the invocation that produced it.
 *
 * @param expiresAtMillis when the stored result expires (completion + retention), answered in the
 *     {@code idempotency-expires} header; 0 when the result did not come from a stored completion
 */
public record InvocationResult(InvocationId id, Outcome outcome, long expiresAtMillis) {
  public InvocationResult(InvocationId id, Outcome outcome) {
    this(id, outcome, 0);
  }
}
