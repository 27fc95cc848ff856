package dev.resolute.server.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * A first latency measurement (not a test): {@code LatencyProbe <ingressPort> <n>} calls
 * Greeter/greet and Greeter/threeSteps n times each, sequentially, and prints p50/p90/p99 in ms.
 * The full benchmark is the bench module's job.
 */
public final class LatencyProbe {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int n = Integer.parseInt(args[1]);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (String handler : new String[] {"greet", "threeSteps"}) {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/Greeter/" + handler))
              .header("content-type", "application/json")
              .timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.ofString("\"x\""))
              .build();
      for (int i = 0; i < Math.min(50, n); i++) {
        http.send(req, HttpResponse.BodyHandlers.ofString());
      }
      double[] ms = new double[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        ms[i] = (System.nanoTime() - t0) / 1e6;
        if (r.statusCode() != 200) {
          throw new IllegalStateException(handler + " -> " + r.statusCode() + " " + r.body());
        }
      }
      Arrays.sort(ms);
      System.out.printf(
          "%s n=%d p50=%.2fms p90=%.2fms p99=%.2fms%n",
          handler, n, ms[n / 2], ms[n * 9 / 10], ms[Math.min(n - 1, n * 99 / 100)]);
    }
  }
}
