package dev.resolute.bench.services;

import dev.restate.sdk.endpoint.Endpoint;
import dev.restate.sdk.http.vertx.RestateHttpServer;

/**
 * The bench deployment, written with the official Restate Java SDK 2.4.0 so that Resolute and
 * restate-server run exactly the same code. {@code BenchServices <port>} serves until killed.
 */
public final class BenchServices {
  private BenchServices() {}

  public static Endpoint endpoint() {
    return Endpoint.bind(new Echo())
        .bind(new Counter())
        .bind(new Steps())
        .bind(new Caller())
        .bind(new Sleeper())
        .bind(new Flow())
        .build();
  }

  public static void main(String[] args) throws Exception {
    RestateHttpServer.listen(endpoint(), Integer.parseInt(args[0]));
    System.out.println("BENCH SERVICES READY");
    Thread.currentThread().join();
  }
}
