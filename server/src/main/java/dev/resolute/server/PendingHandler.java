package dev.resolute.server;

import dev.resolute.server.http.HttpHandler;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The handler of a port that is bound before the node behind it exists: the composition root binds
 * both ports first (so a port conflict, RT0004, is found before the data directory, the store or
 * the log are created) and hands the real handler over once the node has started. Until then every
 * request, health checks included, gets 503 in the port's error shape.
 */
final class PendingHandler implements HttpHandler {
  private final HealthGate.Port port;
  private volatile HttpHandler delegate;

  PendingHandler(HealthGate.Port port) {
    this.port = port;
  }

  /** From now on requests go to {@code handler}. */
  void ready(HttpHandler handler) {
    this.delegate = handler;
  }

  @Override
  public CompletableFuture<HttpResponse> handle(HttpRequest request) {
    HttpHandler d = delegate;
    if (d != null) {
      return d.handle(request);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    String message = "the node is starting";
    if (port == HealthGate.Port.INGRESS) {
      body.put("code", 503);
      body.put("message", message);
      body.put("source", "ingress");
    } else {
      body.put("message", message);
      body.put("restate_code", null);
    }
    return CompletableFuture.completedFuture(HttpResponse.json(503, body));
  }
}
