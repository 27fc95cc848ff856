package dev.resolute.server.metrics;

import dev.resolute.server.http.HttpHandler;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The node port (restate-server's {@code bind-address}, default 5122): {@code GET /metrics} in the
 * Prometheus text format, {@code GET /health} as a JSON summary in the shape of restate-server's
 * (status, cluster, roles, per-role status; {@code log_server_status} is {@code Failsafe} once the
 * log stopped taking writes, and the answer stays 200, as restate-server's does), anything else
 * restate-server's 404.
 */
public final class NodeEndpoint implements HttpHandler {
  static final String NOT_FOUND = "Are you lost? Maybe visit https://restate.dev instead!";
  private static final List<String> ROLES =
      List.of("http-ingress", "admin", "worker", "log-server", "metadata-server");

  private final Metrics metrics;
  private final String clusterName;
  private final Supplier<? extends Throwable> logFailure;

  /**
   * @param logFailure why the log takes no writes, or null while it does
   */
  public NodeEndpoint(
      Metrics metrics, String clusterName, Supplier<? extends Throwable> logFailure) {
    this.metrics = metrics;
    this.clusterName = clusterName;
    this.logFailure = logFailure;
  }

  @Override
  public CompletableFuture<HttpResponse> handle(HttpRequest request) {
    String path = request.path();
    boolean get = request.method().equals("GET") || request.method().equals("HEAD");
    if (get && path.equals("/metrics")) {
      return CompletableFuture.completedFuture(scrape());
    }
    if (get && path.equals("/health")) {
      return CompletableFuture.completedFuture(health());
    }
    return CompletableFuture.completedFuture(HttpResponse.text(404, NOT_FOUND));
  }

  private HttpResponse scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      metrics.scrape(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpResponse.bytes(200, Metrics.contentType(), out.toByteArray());
  }

  private HttpResponse health() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("status", "Alive");
    h.put("cluster_name", clusterName);
    h.put("roles", ROLES);
    h.put("admin_status", "Ready");
    h.put("worker_status", "Ready");
    h.put("log_server_status", logFailure.get() == null ? "Ready" : "Failsafe");
    h.put("metadata_server_status", "Member");
    return HttpResponse.json(200, h);
  }
}
