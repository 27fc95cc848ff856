package dev.resolute.server.ingress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.api.Outcome;
import dev.resolute.server.api.SubmitResult;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.schema.HandlerSchema;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Successful ingress answers as restate-server 1.7.12 writes them: a send's 202, an invocation's
 * result.
 */
final class IngressResponses {
  static final String JSON = "application/json";
  private static final DateTimeFormatter EXECUTION_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** {@code idempotency-expires} as restate-server writes it: 2026-11-23T01:10:50.022+00:00. */
  private static final DateTimeFormatter EXPIRES =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'+00:00'").withZone(ZoneOffset.UTC);

  private IngressResponses() {}

  /**
   * The 202 of a send. {@code executionTime} is there when the invocation is scheduled: a new
   * delayed send, or a duplicate of one that has not started yet (whatever delay the duplicate
   * asked for), as restate-server 1.7.12 answers.
   */
  static HttpResponse send(SubmitResult r, InvocationId requested) {
    InvocationId id = r.id() == null ? requested : r.id();
    ObjectNode n = IngressErrors.JSON.createObjectNode();
    n.put("invocationId", id.toString());
    if (r.executionTimeMillis() > 0) {
      n.put("executionTime", EXECUTION_TIME.format(Instant.ofEpochMilli(r.executionTimeMillis())));
    }
    n.put("status", r.previouslyAccepted() ? "PreviouslyAccepted" : "Accepted");
    return HttpResponse.bytes(202, JSON, n.toString().getBytes(StandardCharsets.UTF_8))
        .withHeader("x-restate-id", id.toString());
  }

  /**
   * A completed invocation: the output with the handler's output content-type (none for an empty
   * body unless the handler asks for it), or the failure with its code as status.
   *
   * @param handler null when unknown (lookup by invocation id): JSON is assumed
   */
  static HttpResponse result(
      InvocationId id, Outcome outcome, HandlerSchema handler, long expiresAtMillis) {
    String expires =
        expiresAtMillis > 0 ? EXPIRES.format(Instant.ofEpochMilli(expiresAtMillis)) : null;
    if (outcome instanceof Outcome.Failure f) {
      return IngressErrors.invocation(
          id, f.code(), f.message(), f.stacktrace(), f.metadata(), expires);
    }
    byte[] value = ((Outcome.Success) outcome).value();
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    headers.add(Map.entry("x-restate-id", id.toString()));
    if (expires != null) {
      headers.add(Map.entry("idempotency-expires", expires));
    }
    String ct = handler == null ? JSON : handler.outputContentType();
    if (ct != null && (value.length > 0 || handler == null || handler.setContentTypeIfEmpty())) {
      headers.add(Map.entry("content-type", ct));
    }
    return new HttpResponse(200, headers, value);
  }
}
