package dev.resolute.examples.embedded;

import dev.resolute.embedded.EmbeddedResolute;
import dev.resolute.embedded.IngressResponse;
import dev.resolute.embedded.Resolute;
import dev.resolute.examples.cart.ShoppingCart;
import dev.resolute.examples.greeter.Greeter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * An application with the engine inside: no server to run, no deployment to register. It binds its
 * services, starts, calls one in-process, and serves the ingress (8080) and admin (9070) ports on
 * loopback for curl, the {@code restate} CLI and the UI until stopped. Kill it at any moment and
 * start it again: every invocation in flight resumes.
 *
 * <p>System properties: {@code data.dir} (default {@code target/embedded-data}), {@code
 * ingress.port} / {@code admin.port} (default 8080 / 9070; 0 = any free port; -1 = not bound),
 * {@code warehouse.delay.ms} (default 2000), {@code demo} (default true: send and await one order).
 * Prints {@code READY ingress=<port> admin=<port>} once it serves.
 */
public final class EmbeddedApp {
  private EmbeddedApp() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(System.getProperty("data.dir", "target/embedded-data"));
    int ingressPort = Integer.getInteger("ingress.port", 8080);
    int adminPort = Integer.getInteger("admin.port", 9070);
    Duration warehouseDelay = Duration.ofMillis(Long.getLong("warehouse.delay.ms", 2000));

    EmbeddedResolute.Builder builder =
        Resolute.embedded()
            .dataDir(dataDir)
            .bind(new Greeter())
            .bind(new ShoppingCart())
            .bind(new Fulfillment(warehouseDelay, EmbeddedApp::report));
    builder = ingressPort < 0 ? builder.withoutIngress() : builder.ingressPort(ingressPort);
    builder = adminPort < 0 ? builder.withoutAdmin() : builder.adminPort(adminPort);
    EmbeddedResolute resolute = builder.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  resolute.close(); // a clean stop; a kill -9 loses nothing acknowledged either
                  stopped.countDown();
                },
                "embedded-app-stop"));
    System.out.println(
        "READY ingress="
            + (resolute.hasIngressPort() ? resolute.ingressUri().getPort() : -1)
            + " admin="
            + (resolute.hasAdminPort() ? resolute.adminUri().getPort() : -1)
            + " data="
            + resolute.dataDir().toAbsolutePath());

    if (Boolean.parseBoolean(System.getProperty("demo", "true"))) {
      IngressResponse hello = resolute.post("/Greeter/greet", "\"embedded world\"");
      System.out.println("Greeter/greet -> " + hello.status() + " " + hello.bodyAsString());
      String order = "order-" + System.currentTimeMillis();
      IngressResponse done = resolute.post("/Fulfillment/process", "\"" + order + "\"");
      System.out.println("Fulfillment/process -> " + done.status() + " " + done.bodyAsString());
    }
    if (resolute.hasIngressPort()) {
      System.out.println(
          "try: curl "
              + resolute.ingressUri()
              + "/Fulfillment/process -H 'content-type: application/json' -d '\"order-1\"'");
    }
    if (resolute.hasAdminPort()) {
      System.out.println("UI: " + resolute.adminUri() + "/ui   (Ctrl-C stops)");
    }
    stopped.await();
  }

  private static void report(String line) {
    System.out.println(line);
  }
}
