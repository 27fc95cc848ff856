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
      LOG.info("admin request rejected: {}", se.getMessage());
      return json(se.status(), AdminViews.error(se.getMessage(), se.restateCode()));
    }
    LOG.warn("admin request failed", t);
    return error(500, String.valueOf(t.getMessage()));
  }

  static CompletableFuture<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }
}
