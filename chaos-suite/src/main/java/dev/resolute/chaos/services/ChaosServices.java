package dev.resolute.chaos.services;

import dev.restate.sdk.endpoint.Endpoint;
import dev.restate.sdk.http.vertx.RestateHttpServer;
import java.nio.file.Path;

/**
 * The deployment the chaos suite runs, written with the official Restate Java SDK 2.4.0. {@code
 * ChaosServices <port, 0 for any> <side-effect file>} serves until killed and prints {@code CHAOS
 * SERVICES READY port=N} once it listens.
 */
public final class ChaosServices {
  private ChaosServices() {}

  public static Endpoint endpoint() {
    return Endpoint.bind(new Tally()).bind(new Steps()).bind(new Chain()).bind(new Flow()).build();
  }

  public static void main(String[] args) throws Exception {
    SideEffects.useFile(Path.of(args[1]));
    int port = RestateHttpServer.listen(endpoint(), Integer.parseInt(args[0]));
    System.out.println("CHAOS SERVICES READY port=" + port);
    Thread.currentThread().join();
  }
}
