package dev.resolute.server.api;

import dev.resolute.protocol.id.InvocationId;
import java.util.List;
import java.util.Map;

/**
 * A new invocation as the ingress (or another entry point) submits it.
 *
 * @param key object key / workflow id for keyed services, null for plain services
 * @param headers headers to forward to the handler (already filtered, with x-restate-ingress-path
 *     first)
 * @param idempotencyKey null when absent
 * @param executionTimeMillis wall-clock ms at which to start; 0 = now
 * @param trace where the invocation sits in a distributed trace (decided by the ingress), or null
 * @param scope the scope of {@code /restate/scope/{scope}/…}, or null (limits)
 * @param limitKey the limit key ({@code l1} or {@code l1/l2}) of a scoped invocation, or null
 */
public record InvocationRequest(
    InvocationId id,
    String service,
    String handler,
    String key,
    byte[] body,
    List<Map.Entry<String, String>> headers,
    String idempotencyKey,
    long executionTimeMillis,
    dev.resolute.server.pb.TraceContext trace,
    String scope,
    String limitKey) {

  /** An unscoped invocation. */
  public InvocationRequest(
      InvocationId id,
      String service,
      String handler,
      String key,
      byte[] body,
      List<Map.Entry<String, String>> headers,
      String idempotencyKey,
      long executionTimeMillis,
      dev.resolute.server.pb.TraceContext trace) {
    this(
        id,
        service,
        handler,
        key,
        body,
        headers,
        idempotencyKey,
        executionTimeMillis,
        trace,
        null,
        null);
  }

  /** An invocation outside any trace. */
  public InvocationRequest(
      InvocationId id,
      String service,
      String handler,
      String key,
      byte[] body,
      List<Map.Entry<String, String>> headers,
      String idempotencyKey,
      long executionTimeMillis) {
    this(id, service, handler, key, body, headers, idempotencyKey, executionTimeMillis, null);
  }
}
