package dev.resolute.server.it;

import dev.restate.sdk.endpoint.Endpoint;
import dev.restate.sdk.http.vertx.RestateHttpServer;
import java.nio.file.Path;

/**
 * The deployment of {@link LimitsIT}: only {@link Limited}, in its own JVM ({@code LimitedServices
 * <port, 0 for any> <markers dir>}), so the shared {@link TestServices} stay as other ITs know
 * them.
 */
public final class LimitedServices {
  private LimitedServices() {}

  public static void main(String[] args) throws Exception {
    TestServices.markers = Path.of(args[1]);
    int port =
        RestateHttpServer.listen(
            Endpoint.builder().bind(new Limited()).build(), Integer.parseInt(args[0]));
    System.out.println("SERVICES READY port=" + port);
    Thread.currentThread().join();
  }
}
