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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A server under test (Resolute, or the real restate-server for comparisons) plus the official
 * Java SDK 2.4.0 deployment ({@link TestServices}), each in its own process, and an HTTP client
 * speaking to both ports.
 */
final class Harness implements AutoCloseable {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static final Path RESTATE_SERVER = Path.of(System.getProperty("user.dir")).getParent()
      .resolve(".peers/node_modules/@restatedev/restate-server-linux-x64/bin/restate-server");

  final boolean reference;
  final Path dir;
  final Path markers;
  final int ingress;
  final int admin;
  final int servicesPort;
  private final int nodePort;
  /** Extra environment of the server process (Resolute tuning such as small log segments). */
  private final Map<String, String> serverEnv = new HashMap<>();
  Process server;
  Process services;

  private Harness(boolean reference, Path dir, int servicesPort, Path markers) throws IOException {
    this.reference = reference;
    this.dir = dir;
    this.markers = markers;
    this.ingress = Processes.freePort();
    this.admin = Processes.freePort();
    this.nodePort = Processes.freePort();
    this.servicesPort = servicesPort;
  }

  /** A Resolute server and its own deployment process, registered. */
  static Harness resolute(String name) throws Exception {
    return resolute(name, Map.of());
  }

  /** As {@link #resolute(String)}, with extra environment variables for the server process. */
  static Harness resolute(String name, Map<String, String> serverEnv) throws Exception {
    return resolute(name, serverEnv, dir -> { });
  }

  /** What to do to the test directory before the server starts (e.g. mount its {@code data}). */
  interface Prepare {
    void run(Path dir) throws Exception;
  }

  /** As {@link #resolute(String, Map)}, running {@code prepare} on the test directory first. */
  static Harness resolute(String name, Map<String, String> serverEnv, Prepare prepare) throws Exception {
    Path dir = Files.createTempDirectory("resolute-" + name);
    prepare.run(dir);
    Harness h = new Harness(false, dir, Processes.freePort(), Files.createDirectories(dir.resolve("markers")));
    h.serverEnv.putAll(serverEnv);
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
    assertThat(RESTATE_SERVER).as("restate-server binary; run scripts/install-peers").exists();
    Path dir = Files.createTempDirectory("restate-ref");
    Harness h = new Harness(true, dir, shared.servicesPort, shared.markers);
    h.serverEnv.putAll(serverEnv);
    h.startServer();
    h.register();
    return h;
  }

  void startServer() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("RESTATE_INGRESS__BIND_ADDRESS", "127.0.0.1:" + ingress);
    env.put("RESTATE_ADMIN__BIND_ADDRESS", "127.0.0.1:" + admin);
    env.put("RESTATE_DEFAULT_NUM_PARTITIONS", "4");
    env.putAll(serverEnv);
    if (reference) {
      env.put("RESTATE_BIND_ADDRESS", "127.0.0.1:" + nodePort);
      env.put("RESTATE_ADVERTISED_ADDRESS", "http://127.0.0.1:" + nodePort + "/");
      ProcessBuilder pb = new ProcessBuilder(RESTATE_SERVER.toString(), "--base-dir", dir.resolve("data").toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()));
      pb.environment().putAll(env);
      server = pb.start();
      Process p = server;
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    } else {
      server = Processes.java("dev.resolute.server.Main", List.of("--base-dir", dir.resolve("data").toString()), env,
          dir.resolve("server.log"));
    }
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> get(admin, "/health").statusCode() == 200 && get(ingress, "/restate/health").statusCode() == 200);
  }

  void startServices() throws Exception {
    Path log = dir.resolve("services.log");
    services = Processes.java("dev.resolute.server.it.TestServices",
        List.of(Integer.toString(servicesPort), markers.toString()), Map.of(), log);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> Files.readString(log).contains("SERVICES READY"));
  }

  void register() throws Exception {
    HttpResponse<String> r = send(admin, "POST", "/deployments",
        "{\"uri\":\"http://127.0.0.1:" + servicesPort + "\"}");
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> get(ingress, "/restate/health").body().contains("Counter"));
  }

  void restartServer() throws Exception {
    Processes.kill9(server);
    startServer();
  }

  @Override
  public void close() throws Exception {
    Processes.kill9(services);
    Processes.kill9(server);
  }

  // ------------------------------------------------------------------ HTTP

  HttpResponse<String> call(String path, String jsonBody, String... headers) throws Exception {
    return send(ingress, "POST", path, jsonBody, headers);
  }

  CompletableFuture<HttpResponse<String>> callAsync(String path, String jsonBody, String... headers) {
    return HTTP.sendAsync(request(ingress, "POST", path, jsonBody, headers).build(),
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

  static HttpRequest.Builder request(int port, String method, String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    if (body != null) {
      b.header("content-type", "application/json");
    }
    return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
  }

  static HttpResponse<String> send(int port, String method, String path, String body, String... headers)
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
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> marks(name) > 0);
    try {
      return lines(name).get(0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
