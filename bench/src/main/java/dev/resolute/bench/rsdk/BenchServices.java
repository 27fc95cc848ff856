package dev.resolute.bench.rsdk;

import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.http.ResoluteHttpServer;

/**
 * The bench deployment written with the Resolute SDK: the same services, names and behaviour as
 * {@link dev.resolute.bench.services.BenchServices} (official Restate Java SDK), selected with
 * {@code ./bench/compare --sdk resolute}. {@code BenchServices <port>} serves until killed.
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
    ResoluteHttpServer.listen(endpoint(), Integer.parseInt(args[0]));
    System.out.println("BENCH SERVICES READY");
    Thread.currentThread().join();
  }
}
