package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * End to end through real sockets and real processes: the Resolute server (its own JVM, real
 * RocksDB and log) and a deployment written with the official Restate Java SDK 2.4.0 (its own
 * JVM), driven through the ingress like a user would.
 */
@Timeout(300)
class DurableServicesIT {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static Path dir;
  static Path markers;
  static Process server;
  static Process services;
  static int ingress;
  static int admin;
  static int servicesPort;

  @BeforeAll
  static void start() throws Exception {
    startAndRegister("");
  }

  /** Starts both processes and registers the deployment with the extra registration fields. */
  static void startAndRegister(String extraFields) throws Exception {
    dir = Files.createTempDirectory("resolute-it");
    markers = Files.createDirectories(dir.resolve("markers"));
    ingress = Processes.freePort();
    admin = Processes.freePort();
    servicesPort = Processes.freePort();
    startServer();
    startServices();
    HttpResponse<String> r = post(admin, "/deployments",
        "{\"uri\":\"http://127.0.0.1:" + servicesPort + "\"" + extraFields + "}");
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
  }

  static void startServer() throws Exception {
    server = Processes.java("dev.resolute.server.Main", List.of("--base-dir", dir.resolve("data").toString()),
        Map.of("RESTATE_INGRESS__BIND_ADDRESS", "127.0.0.1:" + ingress,
            "RESTATE_ADMIN__BIND_ADDRESS", "127.0.0.1:" + admin,
            "RESTATE_DEFAULT_NUM_PARTITIONS", "4"),
        dir.resolve("server.log"));
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> get(admin, "/health").statusCode() == 200);
  }

  static void startServices() throws Exception {
    services = Processes.java("dev.resolute.server.it.TestServices",
        List.of(Integer.toString(servicesPort), markers.toString()), Map.of(), dir.resolve("services.log"));
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> Files.readString(dir.resolve("services.log")).contains("SERVICES READY"));
  }

  @AfterAll
  static void stop() throws Exception {
    Processes.kill9(services);
    Processes.kill9(server);
  }

  static HttpResponse<String> post(int port, String path, String body) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static long marks(String name) throws IOException {
    Path p = markers.resolve(name);
    return Files.exists(p) ? Files.readAllLines(p).size() : 0;
  }

  @Test
  void callAndSendOfAPlainService() throws Exception {
    HttpResponse<String> r = post(ingress, "/Greeter/greet", "\"Alice\"");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"Hello Alice\"");
    assertThat(r.headers().firstValue("x-restate-id")).hasValueSatisfying(id -> assertThat(id).startsWith("inv_1"));

    HttpResponse<String> s = post(ingress, "/Greeter/record/send", "\"sent\"");
    assertThat(s.statusCode()).as(s.body()).isEqualTo(202);
    assertThat(s.body()).contains("\"status\":\"Accepted\"").contains("\"invocationId\":\"inv_1");
    await().atMost(Duration.ofSeconds(20)).until(() -> marks("record-sent") == 1);
  }

  @Test
  void delayedSendStartsAfterTheDelay() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> s = post(ingress, "/Greeter/record/send?delay=2s", "\"delayed\"");
    assertThat(s.statusCode()).as(s.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> marks("record-delayed") == 1);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
  }

  @Test
  void threeSequentialRunSteps() throws Exception {
    HttpResponse<String> r = post(ingress, "/Greeter/threeSteps", "\"x\"");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"123\"");
  }

  @Test
  void durableSleep() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = post(ingress, "/Greeter/sleepy", "700");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"slept 700\"");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(690));
  }

  @Test
  void serviceToServiceCallAndOneWaySend() throws Exception {
    HttpResponse<String> r = post(ingress, "/Greeter/callOther", "\"Bob\"");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"called: Hello Bob\"");
    await().atMost(Duration.ofSeconds(20)).until(() -> marks("record-Bob") == 1);
  }

  @Test
  void retryableFailuresAreRetriedUntilSuccess() throws Exception {
    HttpResponse<String> r = post(ingress, "/Greeter/flaky", "\"f1\"");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"ok after 2 failures\"");
  }

  @Test
  void terminalErrorReachesTheCallerWithItsCode() throws Exception {
    HttpResponse<String> r = post(ingress, "/Greeter/terminal", "\"teapot\"");
    assertThat(r.statusCode()).isEqualTo(418);
    assertThat(r.body()).contains("teapot");
  }

  @Test
  void serverKilledMidInvocationCompletesWithoutRerunningJournaledSteps() throws Exception {
    HttpResponse<String> s = post(ingress, "/Greeter/crashy/send", "\"s1\"");
    assertThat(s.statusCode()).as(s.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> marks("first-s1") == 1);
    Thread.sleep(300); // let the run result be journaled (the SDK waits for it before sleeping)
    Processes.kill9(server);
    startServer();
    await().atMost(Duration.ofSeconds(60)).until(() -> marks("second-s1") == 1);
    assertThat(marks("first-s1")).isEqualTo(1);
  }

  @Test
  void deploymentKilledMidInvocationCompletesWithoutRerunningJournaledSteps() throws Exception {
    HttpResponse<String> s = post(ingress, "/Greeter/crashy/send", "\"d1\"");
    assertThat(s.statusCode()).as(s.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> marks("first-d1") == 1);
    Thread.sleep(300);
    Processes.kill9(services);
    startServices();
    await().atMost(Duration.ofSeconds(60)).until(() -> marks("second-d1") == 1);
    assertThat(marks("first-d1")).isEqualTo(1);
  }
}
