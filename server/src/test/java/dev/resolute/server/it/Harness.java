package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.RestateServerProcess;
import dev.resolute.testsupport.ServerProcess;
import dev.resolute.testsupport.Wait;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * A server under test (Resolute, or the real restate-server for comparisons) plus the official Java
 * SDK 2.4.0 deployment ({@link TestServices}), each in its own process launched by test-support
 * (ports bound by the processes themselves, logs in {@code target/processes/}), and an HTTP client
 * speaking to both ports.
 */
final class Harness implements AutoCloseable {
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * {@code SERVICES READY port=N}: the deployment bound port 0 (or the port it was given) and
   * serves.
   */
  static final Pattern SERVICES_READY = Pattern.compile("SERVICES READY port=(\\d+)");

  final boolean reference;

  /**
   * The server's work dir: {@code data/} (its base dir), {@code server.log}, {@code services.log},
   * markers.
   */
  final Path dir;

  final Path markers;

  /** The server's ports; a restart may change them. */
  int ingress;

  int admin;
  int servicesPort;
  final ServerProcess server;
  ChildProcess services;

  private Harness(boolean reference, ServerProcess server, Path markers) {
    this.reference = reference;
    this.server = server;
    this.dir = server.workDir();
    this.markers = markers;
  }

  /** A Resolute server and its own deployment process, registered. */
  static Harness resolute(String name) throws Exception {
    return resolute(name, Map.of());
  }

  /** As {@link #resolute(String)}, with extra environment variables for the server process. */
  static Harness resolute(String name, Map<String, String> serverEnv) throws Exception {
    return resolute(name, serverEnv, dir -> {});
  }

  /** What to do to the test directory before the server starts (e.g. mount its {@code data}). */
  interface Prepare {
    void run(Path dir) throws Exception;
  }

  /** As {@link #resolute(String, Map)}, running {@code prepare} on the test directory first. */
  static Harness resolute(String name, Map<String, String> serverEnv, Prepare prepare)
      throws Exception {
    ResoluteProcess server =
        ResoluteProcess.create(name)
            .env(Map.of("RESTATE_DEFAULT_NUM_PARTITIONS", "4"))
            .env(serverEnv);
    prepare.run(server.workDir());
    Harness h =
        new Harness(false, server, Files.createDirectories(server.workDir().resolve("markers")));
    h.startServer();
    h.startServices();
    h.register();
    return h;
  }

  /** The real restate-server registered with the deployment process of {@code shared}. */
  static Harness restate(Harness shared) throws Exception {
    return restate(shared, Map.of());
  }

  /** As {@link #restate(Harness)}, with extra environment variables for the server process. */
  static Harness restate(Harness shared, Map<String, String> serverEnv) throws Exception {
    Harness h =
        new Harness(
            true,
            RestateServerProcess.create("ref")
                .env(Map.of("RESTATE_DEFAULT_NUM_PARTITIONS", "4"))
                .env(serverEnv),
            shared.markers);
    h.servicesPort = shared.servicesPort;
    h.startServer();
    h.register();
    return h;
  }

  void startServer() {
    server.start();
    ingress = server.ingressPort();
    admin = server.adminPort();
  }

  /**
   * Starts the deployment process: on a port of its choosing the first time, on the same port
   * afterwards.
   */
  void startServices() {
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
        Integer.parseInt(services.awaitOutput(SERVICES_READY, Duration.ofSeconds(60)).group(1));
  }

  void register() throws Exception {
    HttpResponse<String> r =
        send(admin, "POST", "/deployments", "{\"uri\":\"http://127.0.0.1:" + servicesPort + "\"}");
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    Wait.until(
        "Counter registered",
        Duration.ofSeconds(30),
        () -> get(ingress, "/restate/health").body().contains("Counter"));
  }

  /** {@code kill -9} and a start on the same data directory. */
  void restartServer() {
    server.restart();
    ingress = server.ingressPort();
    admin = server.adminPort();
  }

  @Override
  public void close() {
    if (services != null) {
      services.kill9();
    }
    server.discard();
  }

  // ------------------------------------------------------------------ HTTP

  HttpResponse<String> call(String path, String jsonBody, String... headers) throws Exception {
    return send(ingress, "POST", path, jsonBody, headers);
  }

  CompletableFuture<HttpResponse<String>> callAsync(
      String path, String jsonBody, String... headers) {
    return HTTP.sendAsync(
        request(ingress, "POST", path, jsonBody, headers).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> ingressGet(String path) throws Exception {
    return send(ingress, "GET", path, null);
  }

  HttpResponse<String> adminPatch(String path) throws Exception {
    return send(admin, "PATCH", path, null);
  }

  /** {@code /send}: the invocation id of a 202. */
  String sendId(String path, String jsonBody, String... headers) throws Exception {
    HttpResponse<String> r = call(path, jsonBody, headers);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return r.headers().firstValue("x-restate-id").orElseThrow();
  }

  static HttpRequest.Builder request(
      int port, String method, String path, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    if (body != null) {
      b.header("content-type", "application/json");
    }
    return b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
  }

  static HttpResponse<String> send(
      int port, String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest request = request(port, method, path, body, headers).build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      // A pooled keep-alive connection that the server closed after its previous answer (the
      // real restate-server closes some connections after a 4xx): the request reached no server,
      // so it is sent once more on a new connection. Anything else is a real failure.
      if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
        throw e;
      }
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }

  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return send(port, "GET", path, null);
  }

  // ------------------------------------------------------------------ markers

  long marks(String name) throws IOException {
    return lines(name).size();
  }

  List<String> lines(String name) throws IOException {
    Path p = markers.resolve(name);
    return Files.exists(p) ? Files.readAllLines(p) : new ArrayList<>();
  }

  /** Waits for the value a handler published (e.g. an awakeable id). */
  String published(String name) {
    Wait.until("marker " + name, Duration.ofSeconds(30), () -> marks(name) > 0);
    try {
      return lines(name).get(0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
