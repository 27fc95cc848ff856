package dev.resolute.server.ingress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.http.HttpResponse;

/**
 * Error bodies and headers exactly as restate-server 1.7.12 answers them: body {@code
 * {"code":<code>,"message":…,"metadata":{…},"source":"ingress"|"invocation"}}, content-type
 * application/json and header {@code x-restate-error-source}; invocation failures also carry {@code
 * x-restate-id}. An invocation failure's body keeps its own code even where the HTTP status cannot
 * (codes outside 100–999 answer status 500), and its metadata when it has any.
 */
final class IngressErrors {
  static final ObjectMapper JSON = new ObjectMapper();

  static final String BAD_PATH =
      "bad path, expected either /:service-name/:handler or /:object-name/:object-key/:handler";
  static final String BAD_INVOCATION_PATH =
      "bad path, expected either /restate/invocation/:invocation_id/output or "
          + "/restate/invocation/:invocation_id/attach or /restate/invocation/:invocation_target/:idempotency_key/output"
          + " or /restate/invocation/:invocation_target/:idempotency_key/attach";
  static final String BAD_AWAKEABLES_PATH =
      "bad path, expected either /restate/awakeables/:id/resolve or /restate/awakeables/:id/reject";
  static final String BAD_WORKFLOW_PATH =
      "bad path, expected either /restate/workflow/:workflow_name/:workflow_key/output or "
          + "/restate/workflow/:workflow_name/:workflow_key/attach";
  static final String DELAY_ON_CALL =
      "cannot use the delay query parameter with calls. The delay is supported only with sends";
  static final String BAD_DELAY = "bad delay query parameter, must be a ISO8601 duration: ";
  static final String IDEMPOTENCY_ON_WORKFLOW =
      "cannot use the idempotency key with workflow handlers. "
          + "The handler invocation will already be idempotent by the workflow key itself.";
  static final String NOT_READY = "the invocation exists but has not completed yet";
  static final String NOT_FOUND = "not found";
  static final String METHOD_NOT_ALLOWED = "method not allowed";

  private IngressErrors() {}

  /** A validation failure with its ready-made response ({@code source: ingress}). */
  static final class RejectException extends RuntimeException {
    final transient HttpResponse response;

    RejectException(int status, String message) {
      super(message, null, false, false);
      this.response = ingress(status, message);
    }
  }

  static RejectException reject(int status, String message) {
    return new RejectException(status, message);
  }

  static RejectException serviceNotFound(String name) {
    return reject(
        404,
        "service '" + name + "' not found, make sure to register the service before calling it.");
  }

  /** An error raised by the ingress itself ({@code source: ingress}). */
  static HttpResponse ingress(int status, String message) {
    return body(status, status, message, null, java.util.Collections.emptySortedMap(), "ingress")
        .withHeader("x-restate-error-source", "ingress");
  }

  /**
   * A terminal failure of an invocation ({@code source: invocation}); HTTP status = failure code.
   */
  static HttpResponse invocation(InvocationId id, int code, String message) {
    return invocation(id, code, message, null, java.util.Collections.emptySortedMap(), null);
  }

  /**
   * @param stacktrace added to the body when set (invocations killed after their retries ran out)
   * @param metadata the terminal error's metadata, in the body when not empty
   * @param expires {@code idempotency-expires} header value, or null
   */
  static HttpResponse invocation(
      InvocationId id,
      int code,
      String message,
      String stacktrace,
      java.util.SortedMap<String, String> metadata,
      String expires) {
    int status = httpStatus(code);
    HttpResponse b = body(status, code, message, stacktrace, metadata, "invocation");
    java.util.List<java.util.Map.Entry<String, String>> h = new java.util.ArrayList<>();
    if (id != null) {
      h.add(java.util.Map.entry("x-restate-id", id.toString()));
    }
    if (expires != null) {
      h.add(java.util.Map.entry("idempotency-expires", expires));
    }
    h.add(java.util.Map.entry("x-restate-error-source", "invocation"));
    h.addAll(b.headers());
    return new HttpResponse(status, h, b.body());
  }

  /** Failure codes outside the HTTP status range become 500. */
  static int httpStatus(int code) {
    return code >= 100 && code <= 999 ? code : 500;
  }

  private static HttpResponse body(
      int status,
      int code,
      String message,
      String stacktrace,
      java.util.SortedMap<String, String> metadata,
      String source) {
    ObjectNode n = JSON.createObjectNode();
    n.put("code", Integer.toUnsignedLong(code));
    n.put("message", message);
    if (!metadata.isEmpty()) {
      ObjectNode m = n.putObject("metadata");
      metadata.forEach(m::put);
    }
    if (stacktrace != null && !stacktrace.isEmpty()) {
      n.put("stacktrace", stacktrace);
    }
    n.put("source", source);
    return HttpResponse.bytes(
        status, "application/json", n.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
