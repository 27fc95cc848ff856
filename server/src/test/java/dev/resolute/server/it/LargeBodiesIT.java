package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.resolute.testsupport.Http;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.Wait;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many large request bodies at once, with the launcher's JVM settings (serial collector, 1 GiB
 * heap): 24 concurrent 19 MiB sends (each under the 32 MiB body limit; together 456 MiB) are all
 * accepted, then 24 concurrent 19 MiB calls to an unknown service all get their 404, and the node
 * stays healthy. Without the port's in-flight body budget this ran the heap out (restate-server
 * answers all 24). The sends are delayed by an hour, so the test measures the server alone: no
 * deployment is invoked. Once idle, the node must give the memory back: its resident size falls
 * under 400 MiB (the heap the load made it commit is collected and uncommitted, and freed native
 * memory is unmapped).
 */
@Timeout(600)
class LargeBodiesIT {
  static final int CONCURRENT = 24;

  /** What the launcher sets for glibc malloc (see the {@code resolute-server} script). */
  static final java.util.Map<String, String> LAUNCHER_MALLOC =
      java.util.Map.of("MALLOC_MMAP_THRESHOLD_", "131072", "MALLOC_ARENA_MAX", "2");

  /**
   * Resident memory the idle node must get under after the load (measured: 200–230 MiB; 1.3 GiB
   * before the idle trimming and the malloc settings).
   */
  static final long IDLE_RSS_MIB = 400;

  static final int BODY_BYTES = 19 * 1024 * 1024;
  static final String MANIFEST =
      "{\"protocolMode\":\"REQUEST_RESPONSE\",\"minProtocolVersion\":5,\"maxProtocolVersion\":6,"
          + "\"services\":[{\"name\":\"Sink\",\"ty\":\"SERVICE\",\"handlers\":[{\"name\":\"take\"}]}]}";

  @Test
  void twentyFourConcurrent19MiBRequestsAllSucceed() throws Exception {
    HttpServer deployment =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    deployment.createContext(
        "/discover",
        x -> {
          byte[] b = MANIFEST.getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders()
              .add("content-type", "application/vnd.restate.endpointmanifest.v3+json");
          x.sendResponseHeaders(200, b.length);
          try (OutputStream out = x.getResponseBody()) {
            out.write(b);
          }
        });
    deployment.start();
    try (ResoluteProcess server =
        ResoluteProcess.create("large-bodies")
            .jvmOptions("-XX:+UseSerialGC", "-Xms64m", "-Xmx1g")
            .env(LAUNCHER_MALLOC)
            .start()) {
      server.registerDeployment("http://127.0.0.1:" + deployment.getAddress().getPort(), true);
      byte[] body = new byte[BODY_BYTES];
      Arrays.fill(body, (byte) 'x');
      body[0] = '"';
      body[BODY_BYTES - 1] = '"';
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(30))
              .build();

      List<Integer> sends = all(client, server.ingressUrl() + "/Sink/take/send?delay=1h", body);
      assertThat(sends).as("24 sends of 19 MiB").containsOnly(202);
      List<Integer> unknown = all(client, server.ingressUrl() + "/Nope/take", body);
      assertThat(unknown).as("24 calls of 19 MiB to an unknown service").containsOnly(404);

      assertThat(Http.status(server.adminUrl() + "/health")).isEqualTo(200);
      assertThat(Http.status(server.ingressUrl() + "/restate/health")).isEqualTo(200);
      long busy = rssMiB(server.pid());
      // the idle node gives the heap back (IdleHeapTrimmer: two quiet 10 s rounds, then one full
      // collection per round)
      long idle =
          Wait.forValue(
              "resident memory under " + IDLE_RSS_MIB + " MiB once idle",
              Duration.ofSeconds(150),
              () -> {
                long rss = rssMiB(server.pid());
                return rss < IDLE_RSS_MIB ? rss : null;
              });
      System.out.println(
          "LargeBodiesIT: resident memory right after the load "
              + busy
              + " MiB, idle "
              + idle
              + " MiB");
    } finally {
      deployment.stop(0);
    }
  }

  private static List<Integer> all(HttpClient client, String url, byte[] body) throws Exception {
    List<CompletableFuture<HttpResponse<Void>>> calls = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      calls.add(
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofMinutes(4))
                  .header("content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding()));
    }
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<Void>> c : calls) {
      statuses.add(c.get().statusCode());
    }
    return statuses;
  }

  /** VmRSS of a process, in MiB (Linux). */
  static long rssMiB(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }
}
