package dev.resolute.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resolute.server.api.Failures;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.schema.SchemaException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Responses of the admin API: JSON bodies, and failures as restate-server's {@code {message,
 * restate_code}}.
 */
final class AdminResponses {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

  private AdminResponses() {}

  static HttpResponse json(int status, JsonNode body) {
    try {
      return HttpResponse.bytes(
          status, "application/json", AdminViews.JSON.writeValueAsBytes(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code {"message": message, "restate_code": null}} with {@code status}. */
  static HttpResponse error(int status, String message) {
    return json(status, AdminViews.error(message, null));
  }

  /**
   * A failed registry write or discovery: a {@link SchemaException}'s status and code, anything
   * else 500.
   */
  static HttpResponse schemaFailure(Throwable err) {
    Throwable t = Failures.unwrap(err);
    if (t instanceof SchemaException se) {
      LOG.info("admin request rejected: {}", printable(se.getMessage()));
      return json(se.status(), AdminViews.error(se.getMessage(), se.restateCode()));
    }
    LOG.warn("admin request failed", t);
    return error(500, String.valueOf(t.getMessage()));
  }

  /** Longest message written to the log; the response carries all of it. */
  static final int MAX_LOGGED_CHARS = 4096;

  /**
   * {@code message} fit for a log line: control characters (a broken deployment's discovery answer
   * is quoted in its error, raw bytes and terminal escapes included) become Unicode escapes, and
   * the text is cut at {@link #MAX_LOGGED_CHARS}.
   */
  static String printable(String message) {
    if (message == null) {
      return "null";
    }
    int n = Math.min(message.length(), MAX_LOGGED_CHARS);
    StringBuilder b = new StringBuilder(n + 16);
    for (int i = 0; i < n; i++) {
      char c = message.charAt(i);
      if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (message.length() > n) {
      b.append("… (").append(message.length()).append(" characters)");
    }
    return b.toString();
  }

  static CompletableFuture<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }
}
