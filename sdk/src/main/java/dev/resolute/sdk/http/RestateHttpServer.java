package dev.resolute.sdk.http;

import dev.resolute.sdk.endpoint.Endpoint;

/**
 * The name Restate's Java SDK uses for {@link ResoluteHttpServer#listen}, so that code ported from
 * {@code dev.restate.sdk.http.vertx.RestateHttpServer} only changes its import.
 */
public final class RestateHttpServer {
  private RestateHttpServer() {}

  /** Serves on all interfaces, port 9080 (or env {@code PORT}); returns the bound port. */
  public static int listen(Endpoint endpoint) {
    return ResoluteHttpServer.listen(endpoint);
  }

  public static int listen(Endpoint.Builder endpoint) {
    return ResoluteHttpServer.listen(endpoint);
  }

  /** Serves on all interfaces and the given port; returns the bound port. */
  public static int listen(Endpoint endpoint, int port) {
    return ResoluteHttpServer.listen(endpoint, port);
  }

  public static int listen(Endpoint.Builder endpoint, int port) {
    return ResoluteHttpServer.listen(endpoint, port);
  }
}
