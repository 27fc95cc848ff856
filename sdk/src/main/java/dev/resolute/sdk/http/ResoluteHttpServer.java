package dev.resolute.sdk.http;

import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.internal.http.NettyEndpointServer;

/**
 * Serves an {@link Endpoint} over HTTP: HTTP/2 cleartext with prior knowledge (bidirectional
 * streaming) and HTTP/1.1 (request/response) on the same port.
 *
 * <pre>{@code
 * ResoluteHttpServer.listen(Endpoint.bind(new Greeter()));   // port 9080
 * }</pre>
 */
public final class ResoluteHttpServer implements AutoCloseable {
  public static final int DEFAULT_PORT = 9080;

  private final NettyEndpointServer server;

  private ResoluteHttpServer(NettyEndpointServer server) {
    this.server = server;
  }

  /** Starts serving on {@code host:port} (port 0: any free port). */
  public static ResoluteHttpServer start(Endpoint endpoint, String host, int port) {
    try {
      return new ResoluteHttpServer(new NettyEndpointServer(endpoint, host, port));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding " + host + ":" + port, e);
    }
  }

  /** Serves on all interfaces, port 9080 (or env {@code PORT}); returns the bound port. */
  public static int listen(Endpoint endpoint) {
    String env = System.getenv("PORT");
    return listen(endpoint, env != null ? Integer.parseInt(env) : DEFAULT_PORT);
  }

  public static int listen(Endpoint.Builder endpoint) {
    return listen(endpoint.build());
  }

  /** Serves on all interfaces and the given port; returns the bound port. */
  public static int listen(Endpoint endpoint, int port) {
    return start(endpoint, "0.0.0.0", port).port();
  }

  public static int listen(Endpoint.Builder endpoint, int port) {
    return listen(endpoint.build(), port);
  }

  public int port() {
    return server.port();
  }

  /** Stops accepting connections and closes the event loops. */
  @Override
  public void close() {
    server.close();
  }
}
