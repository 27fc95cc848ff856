package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.ResoluteProcess;
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
 * RocksDB and log) and a deployment written with the official Restate Java SDK 2.4.0 (its own JVM),
 * driven through the ingress like a user would.
 */
@Timeout(300)
class DurableServicesIT {
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  static Path dir;
  static Path markers;
  static ResoluteProcess server;
  static ChildProcess services;
  static int ingress;
  static int admin;
  static int servicesPort;

  @BeforeAll
  static void start() throws Exception {
    startAndRegister("");
  }

  /** Starts both processes and registers the deployment with the extra registration fields. */
  static void startAndRegister(String extraFields) throws Exception {
    server = ResoluteProcess.create("it").env(Map.of("RESTATE_DEFAULT_NUM_PARTITIONS", "4"));
    dir = server.workDir();
    markers = Files.createDirectories(dir.resolve("markers"));
    servicesPort = 0;
    startServer();
    startServices();
    HttpResponse<String> r =
        post(
            admin,
            "/deployments",
            "{\"uri\":\"http://127.0.0.1:" + servicesPort + "\"" + extraFields + "}");
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
  }

  /** Starts the server (again) on its data directory; a restart may give it other ports. */
  static void startServer() {
    server.start();
    ingress = server.ingressPort();
    admin = server.adminPort();
  }

  /**
   * The deployment: on a port of its choosing the first time, then on the same port (it is
   * registered there).
   */
  static void startServices() {
    services =
        ChildProcess.start(
            ChildProcess.javaCommand(
                ChildProcess.testClasspath(),
                List.of(),
                "dev.resolute.server.it.TestServices",
                List.of(Integer.toString(servicesPort), markers.toString())),
            Map.of(),
            dir.resolve("services.log"));
    servicesPort =
        Integer.parseInt(
            services.awaitOutput(Harness.SERVICES_READY, Duration.ofSeconds(60)).group(1));
  }

  @AfterAll
  static void stop() throws Exception {
    if (services != null) {
      services.kill9();
    }
    if (server != null) {
      server.discard();
    }
  }

  static HttpResponse<String> post(int port, String path, String body)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
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
    assertThat(r.headers().firstValue("x-restate-id"))
        .hasValueSatisfying(id -> assertThat(id).startsWith("inv_1"));

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
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
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
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(690));
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
    await().atMost(Duration.ofSeconds(20)).until(() -> marks("journaled-first-s1") == 1);
    server.kill9();
    startServer();
    await().atMost(Duration.ofSeconds(60)).until(() -> marks("second-s1") == 1);
    assertThat(marks("first-s1")).isEqualTo(1);
  }

  @Test
  void deploymentKilledMidInvocationCompletesWithoutRerunningJournaledSteps() throws Exception {
    HttpResponse<String> s = post(ingress, "/Greeter/crashy/send", "\"d1\"");
    assertThat(s.statusCode()).as(s.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() -> marks("journaled-first-d1") == 1);
    services.kill9();
    startServices();
    await().atMost(Duration.ofSeconds(60)).until(() -> marks("second-d1") == 1);
    assertThat(marks("first-d1")).isEqualTo(1);
  }
}
