package dev.resolute.server;

import dev.resolute.server.http.HttpHandler;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Makes the health checks of a port report a node whose log stopped for writes (see {@link
 * dev.resolute.server.log.LocalLog}'s fail-stop): {@code GET /restate/health} on the ingress and
 * {@code GET /health} on the admin port answer 503 with the reason instead of 200, so a load
 * balancer or orchestrator takes the node out and restarts it. Every other request goes through
 * unchanged (appends fail on their own, with their own 503).
 *
 * <p>restate-server 1.7.12 in the same state (its log-server "Failsafe" after ENOSPC, writes
 * disabled until a restart) keeps answering 200 on both and shows the state only in the node port's
 * {@code /health} JSON; Resolute has no node port, and a 200 would hide a node that can take no
 * write.
 *
 * <p>A health check is recognised after the wrapped handler answered it with 200, so the path rules
 * stay those of the handler (a path it does not treat as a health check is never turned into a
 * 503).
 */
final class HealthGate implements HttpHandler {
  /** Which port: the body of the 503 follows that port's error shape. */
  enum Port {
    /** {@code {"code":503,"message":…,"source":"ingress"}} and {@code x-restate-error-source}. */
    INGRESS,
    /** {@code {"message":…,"restate_code":null}}, as the admin API's other errors. */
    ADMIN
  }

  private final HttpHandler delegate;
  private final Port port;
  private final Supplier<? extends Throwable> failure;

  /**
   * @param failure why the node cannot take writes, or null while it can (read on every check)
   */
  HealthGate(HttpHandler delegate, Port port, Supplier<? extends Throwable> failure) {
    this.delegate = delegate;
    this.port = port;
    this.failure = failure;
  }

  @Override
  public CompletableFuture<HttpResponse> handle(HttpRequest request) {
    CompletableFuture<HttpResponse> f = delegate.handle(request);
    if (!request.method().equals("GET") || !isHealthPath(request.segments())) {
      return f;
    }
    return f.thenApply(
        r -> {
          Throwable t = failure.get();
          return r.status() == 200 && t != null ? unhealthy(r, t) : r;
        });
  }

  private boolean isHealthPath(List<String> segs) {
    return switch (port) {
      case INGRESS ->
          segs.size() >= 2 && segs.get(0).equals("restate") && segs.get(1).equals("health");
      case ADMIN ->
          !segs.isEmpty() && segs.size() <= 2 && segs.get(segs.size() - 1).equals("health");
    };
  }

  private HttpResponse unhealthy(HttpResponse healthy, Throwable t) {
    String message = "the node cannot take writes: " + t.getMessage();
    Map<String, Object> body = new LinkedHashMap<>();
    if (port == Port.INGRESS) {
      body.put("code", 503);
      body.put("message", message);
      body.put("source", "ingress");
    } else {
      body.put("message", message);
      body.put("restate_code", null);
    }
    HttpResponse json = HttpResponse.json(503, body);
    List<Map.Entry<String, String>> h = new ArrayList<>(json.headers());
    for (Map.Entry<String, String> e : healthy.headers()) {
      if (!e.getKey().equalsIgnoreCase("content-type")
          && !e.getKey().equalsIgnoreCase("content-length")) {
        h.add(e); // CORS headers of the ingress stay
      }
    }
    if (port == Port.INGRESS) {
      h.add(Map.entry("x-restate-error-source", "ingress"));
    }
    return new HttpResponse(503, h, json.body());
  }
}
