package dev.resolute.server.admin;

import dev.restate.sdk.endpoint.Endpoint;
import dev.restate.sdk.http.vertx.RestateHttpServer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/** An official Java SDK 2.4.0 endpoint (Vert.x) serving the Adm* test services on 127.0.0.1. */
public final class SdkEndpoint implements AutoCloseable {
  private final HttpServer server;

  private SdkEndpoint(HttpServer server) {
    this.server = server;
  }

  /** Starts on an ephemeral port. */
  public static SdkEndpoint start() throws Exception {
    return start(
        Endpoint.bind(new AdmGreeter()).bind(new AdmCounter()).bind(new AdmFlow()).build());
  }

  public static SdkEndpoint start(Endpoint endpoint) throws Exception {
    HttpServer s =
        RestateHttpServer.fromEndpoint(
            endpoint, new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    s.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new SdkEndpoint(s);
  }

  public int port() {
    return server.actualPort();
  }

  public String uri() {
    return "http://127.0.0.1:" + port();
  }

  /** Runs the endpoint standalone (used to capture the real restate-server's admin responses). */
  public static void main(String[] args) throws Exception {
    HttpServer s =
        RestateHttpServer.fromEndpoint(
            Endpoint.bind(new AdmGreeter()).bind(new AdmCounter()).bind(new AdmFlow()).build(),
            new HttpServerOptions().setHost("127.0.0.1").setPort(Integer.parseInt(args[0])));
    s.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.out.println("listening on " + s.actualPort());
    Thread.sleep(Long.MAX_VALUE);
  }

  @Override
  public void close()
      throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
