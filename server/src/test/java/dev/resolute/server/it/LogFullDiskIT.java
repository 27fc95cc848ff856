package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real full disk: the data directory is a 24 MiB tmpfs, nearly filled by a ballast file once the
 * node is up, and a concurrent load of sends fills the rest. The log must stop for writes (every
 * later append a 503 naming the cause, both health checks 503), stay stopped once space is freed
 * (fail-stop until a restart), and after a restart keep every acknowledged send (each executed
 * exactly once) and none that got a 503.
 *
 * <p>Mounting needs root. CI runs as root, so there the test always runs: a failing mount is a
 * failure, never a skip. Only a non-root developer machine skips it, saying why.
 */
@Timeout(300)
class LogFullDiskIT {
  static final int DISK_MIB = 24;

  /** Left free by the ballast: a few dozen sends' records. */
  static final long LEFT_FREE = 1024 * 1024;

  static final String PAD = "x".repeat(8 * 1024);
  static Harness h;
  static Path mount;

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
    if (mount != null) {
      run("umount", mount.toString());
    }
  }

  static int run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    if (rc != 0) {
      System.err.println(String.join(" ", cmd) + " -> " + rc + ": " + out);
    }
    return rc;
  }

  static boolean isRoot() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("id", "-u").start();
    String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor();
    return uid.equals("0");
  }

  enum Outcome {
    ACKED,
    REFUSED,
    UNKNOWN
  }

  @Test
  void aFullDiskStopsTheLogAndARestartKeepsExactlyTheAcknowledgedSends() throws Exception {
    Assumptions.assumeTrue(
        isRoot(),
        "mounting a small tmpfs for the data directory needs root (CI runs as root, "
            + "where this test always runs)");
    h =
        Harness.resolute(
            "fulldisk",
            Map.of(),
            dir -> {
              Path data = Files.createDirectories(dir.resolve("data"));
              assertThat(
                      run(
                          "mount",
                          "-t",
                          "tmpfs",
                          "-o",
                          "size=" + DISK_MIB + "m",
                          "tmpfs",
                          data.toString()))
                  .as("mount -t tmpfs on %s (running as root, this must work)", data)
                  .isZero();
              mount = data;
            });
    Path ballast = mount.resolve("ballast");
    long free = Files.getFileStore(mount).getUsableSpace();
    assertThat(free).as("space left after start").isGreaterThan(2 * LEFT_FREE);
    try (OutputStream o = Files.newOutputStream(ballast)) {
      byte[] mib = new byte[64 * 1024];
      for (long n = 0; n < free - LEFT_FREE; n += mib.length) {
        o.write(mib);
      }
    }

    // a concurrent load of sends, each to its own key, until the disk is full
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    List<String> refusals = new ArrayList<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    ExecutorService load = Executors.newFixedThreadPool(8);
    for (int w = 0; w < 8; w++) {
      load.submit(
          () -> {
            while (refused.get() < 16 && next.get() < 3000) {
              String key = "fd-" + next.getAndIncrement();
              Outcome o;
              try {
                HttpResponse<String> r =
                    client.send(
                        HttpRequest.newBuilder(
                                URI.create(
                                    "http://127.0.0.1:"
                                        + h.ingress
                                        + "/Counter/"
                                        + key
                                        + "/append/send"))
                            .timeout(Duration.ofSeconds(10))
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("\"" + key + PAD + "\""))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                o =
                    r.statusCode() == 202
                        ? Outcome.ACKED
                        : r.statusCode() == 503 ? Outcome.REFUSED : Outcome.UNKNOWN;
                if (o == Outcome.REFUSED) {
                  refused.incrementAndGet();
                  synchronized (refusals) {
                    refusals.add(r.body());
                  }
                }
              } catch (IOException e) {
                o = Outcome.UNKNOWN;
              } catch (InterruptedException e) {
                return null;
              }
              outcomes.put(key, o);
            }
            return null;
          });
    }
    load.shutdown();
    assertThat(load.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
    List<String> acked = keys(outcomes, Outcome.ACKED);
    List<String> refusedKeys = keys(outcomes, Outcome.REFUSED);
    System.out.printf(
        "full disk: %d sends acknowledged, %d refused with 503, %d unknown%n",
        acked.size(), refusedKeys.size(), keys(outcomes, Outcome.UNKNOWN).size());
    assertThat(refusedKeys).as("the disk filled up and appends were refused").isNotEmpty();
    assertThat(acked).as("some sends were acknowledged before the disk was full").isNotEmpty();
    assertThat(refusals)
        .allSatisfy(
            b ->
                assertThat(b)
                    .startsWith(
                        "{\"code\":503,\"message\":\"cannot append to the "
                            + "log: the log stopped accepting writes after a failed write or fsync (java.io.IOException: No space left on "
                            + "device)")
                    .endsWith("\"source\":\"ingress\"}"));

    // stopped: both health checks say so, and stay so once space is freed (until a restart)
    assertStopped();
    Files.delete(ballast);
    assertStopped();
    HttpResponse<String> after = h.call("/Counter/fd-after/append/send", "\"after\"");
    assertThat(after.statusCode()).isEqualTo(503);
    assertThat(Files.readString(h.dir.resolve("server.log"))).contains("log stopped for writes");

    h.restartServer();
    // every acknowledged send runs, exactly once; none that was refused ever does
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              for (String k : acked) {
                assertThat(h.call("/Counter/" + k + "/log", null).body())
                    .as(k)
                    .isEqualTo("\"" + k + PAD + "\"");
              }
            });
    for (String k : refusedKeys) {
      assertThat(h.call("/Counter/" + k + "/log", null).body()).as(k).isEqualTo("\"\"");
    }
    for (String k : keys(outcomes, Outcome.UNKNOWN)) {
      assertThat(h.call("/Counter/" + k + "/log", null).body())
          .as(k)
          .isIn("\"\"", "\"" + k + PAD + "\"");
    }
    assertThat(h.call("/Counter/fd-after/log", null).body()).isEqualTo("\"\"");
    // and the node takes writes again
    assertThat(h.call("/Counter/fd-again/append", "\"again\"").body()).isEqualTo("\"again\"");
  }

  static List<String> keys(Map<String, Outcome> outcomes, Outcome o) {
    return outcomes.entrySet().stream()
        .filter(e -> e.getValue() == o)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  static void assertStopped() throws Exception {
    HttpResponse<String> ingress = Harness.get(h.ingress, "/restate/health");
    assertThat(ingress.statusCode()).isEqualTo(503);
    assertThat(ingress.body())
        .startsWith(
            "{\"code\":503,\"message\":\"the node cannot take writes: the log stopped "
                + "accepting writes")
        .endsWith("\"source\":\"ingress\"}");
    HttpResponse<String> admin = Harness.get(h.admin, "/health");
    assertThat(admin.statusCode()).isEqualTo(503);
    assertThat(admin.body()).contains("No space left on device");
  }
}
