package dev.resolute.server.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.server.http.HttpHandler;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /query} of the admin API, as restate-server 1.7.12 answers it: the body {@code
 * {"query": "…"}}; the answer is JSON rows when the request accepts {@code application/json},
 * otherwise an Arrow IPC stream (what the CLI's {@code sql} command asks for with {@code Accept:
 * *}{@code /*}); a query error is {@code {"message": …}} with a 4xx status. Queries run on {@code
 * executor}, never on the event loop, and stop when the client closes its connection.
 */
public final class QueryEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(QueryEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String ARROW_STREAM = "application/vnd.apache.arrow.stream";

  private final QueryEngine engine;
  private final Executor executor;

  /** Runs before every query, on the query's thread (cluster mode: {@code ReadBarrier}). */
  private final Runnable beforeQuery;

  public QueryEndpoint(QueryEngine engine, Executor executor) {
    this(engine, executor, () -> {});
  }

  public QueryEndpoint(QueryEngine engine, Executor executor, Runnable beforeQuery) {
    this.engine = engine;
    this.executor = executor;
    this.beforeQuery = beforeQuery;
  }

  public CompletableFuture<HttpResponse> handle(HttpRequest req) {
    String contentType = req.header("content-type");
    if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
      return done(HttpResponse.text(415, "Expected request with `Content-Type: application/json`"));
    }
    JsonNode body;
    try {
      body = JSON.readTree(req.body());
    } catch (JsonProcessingException e) {
      return done(
          HttpResponse.text(
              400, "Failed to parse the request body as JSON: " + e.getOriginalMessage()));
    } catch (java.io.IOException e) {
      return done(HttpResponse.text(400, "Failed to parse the request body as JSON"));
    }
    if (body == null || !body.isObject() || !body.path("query").isTextual()) {
      return done(
          HttpResponse.text(
              422,
              "Failed to deserialize the JSON body into the target type: "
                  + (body != null && body.isObject() && !body.has("query")
                      ? "missing field `query`"
                      : "invalid type for field `query`, expected a string")));
    }
    String sql = body.get("query").asText();
    boolean json = accepts(req.header("accept"));
    HttpHandler.CancelOnClose out = new HttpHandler.CancelOnClose();
    QueryEngine.Cancel cancel = new QueryEngine.Cancel();
    // the client closed the connection: the query stops at its next row
    out.whenComplete(
        (r, e) -> {
          if (out.isCancelled()) {
            cancel.cancel();
          }
        });
    try {
      executor.execute(
          () -> {
            try {
              beforeQuery.run();
            } catch (RuntimeException e) {
              LOG.warn("before the query: {}", e.toString());
            }
            out.complete(answer(sql, json, cancel));
          });
    } catch (RuntimeException e) {
      out.completeExceptionally(e);
    }
    return out;
  }

  private HttpResponse answer(String sql, boolean json, QueryEngine.Cancel cancel) {
    try {
      QueryResult result = engine.run(sql, cancel);
      return json
          ? HttpResponse.bytes(200, "application/json", JsonRows.write(result))
          : HttpResponse.bytes(200, ARROW_STREAM, ArrowStream.write(result));
    } catch (QueryException e) {
      if (e.status() >= 500) {
        LOG.warn("query failed: {}: {}", sql, e.getMessage());
      } else {
        LOG.debug("query rejected: {}", sql, e);
      }
      return error(e.status(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("query failed: {}", sql, e);
      return error(500, "internal error: " + e.getMessage());
    }
  }

  /** JSON when the request names {@code application/json}, Arrow otherwise (as restate-server). */
  static boolean accepts(String accept) {
    return accept != null && accept.toLowerCase().contains("application/json");
  }

  private static HttpResponse error(int status, String message) {
    ObjectNode o = JSON.createObjectNode();
    o.put("message", message);
    return HttpResponse.json(status, o);
  }

  private static CompletableFuture<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }
}
