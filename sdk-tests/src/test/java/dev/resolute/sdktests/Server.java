package dev.resolute.sdktests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * A server under test in its own process — Resolute (this module's class path) or the real
 * restate-server 1.7.12 — on free loopback ports, with an HTTP/1.1 client for its ingress and admin
 * APIs.
 */
final class Server implements AutoCloseable {
  enum Kind { RESOLUTE, RESTATE }

  /** The environment that makes either server suspend an invocation whenever it awaits a completion. */
  static final Map<String, String> ALWAYS_SUSPENDING = Map.of("RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT", "0s");

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  final Kind kind;
  final Path dir;
  final int ingress;
  final int admin;
  private final Process process;

  private Server(Kind kind, Path dir, int ingress, int admin, Process process) {
    this.kind = kind;
    this.dir = dir;
    this.ingress = ingress;
    this.admin = admin;
    this.process = process;
  }

  /** Starts a server of {@code kind} with {@code extraEnv} and waits until both APIs answer. */
  static Server start(Kind kind, Map<String, String> extraEnv) throws Exception {
    // short: restate-server puts unix sockets under <base-dir>/vm/ (108-byte path limit)
    Path dir = Files.createTempDirectory("st");
    int ingress = Launch.freePort();
    int admin = Launch.freePort();
    int node = Launch.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("RESTATE_INGRESS__BIND_ADDRESS", "127.0.0.1:" + ingress);
    env.put("RESTATE_ADMIN__BIND_ADDRESS", "127.0.0.1:" + admin);
    env.put("RESTATE_BIND_ADDRESS", "127.0.0.1:" + node);
    env.put("RESTATE_ADVERTISED_ADDRESS", "http://127.0.0.1:" + node + "/");
    env.put("RESTATE_DEFAULT_NUM_PARTITIONS", "4");
    env.putAll(extraEnv);
    List<String> cmd = new ArrayList<>();
    if (kind == Kind.RESTATE) {
      Path binary = Path.of(System.getProperty("restate.server.binary", "../.peers/node_modules/@restatedev/"
          + "restate-server-linux-x64/bin/restate-server"));
      assertThat(binary).as("restate-server binary; run scripts/install-peers").exists();
      cmd.addAll(List.of(binary.toString(), "--no-logo"));
    } else {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      cmd.addAll(List.of(java.toString(), "-XX:+UseSerialGC", "-Xmx512m", "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"), "dev.resolute.server.Main"));
    }
    cmd.addAll(List.of("--base-dir", dir.resolve("d").toString()));
    Process p = Launch.start(cmd, dir, env, dir.resolve("server.log"));
    Server s = new Server(kind, dir, ingress, admin, p);
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> !p.isAlive() || s.healthy());
      if (!p.isAlive()) {
        throw new IllegalStateException(kind + " exited at start:\n" + s.log());
      }
    } catch (Throwable t) {
      s.close();
      throw t;
    }
    return s;
  }

  /** Registers the deployment at {@code uri} and waits until the ingress routes to {@code service}. */
  void register(String uri, String service) throws Exception {
    HttpResponse<String> r = send(admin, "POST", "/deployments", "{\"uri\":\"" + uri + "\"}");
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .until(() -> send(ingress, "GET", "/restate/health", null).statusCode() == 200
            && send(admin, "GET", "/services/" + service, null).statusCode() == 200);
  }

  /** A POST to the ingress with a JSON body ({@code null}: no body). */
  HttpResponse<String> call(String path, String json) throws Exception {
    return send(ingress, "POST", path, json);
  }

  CompletableFuture<HttpResponse<String>> callAsync(String path, String json) {
    return HTTP.sendAsync(request(ingress, "POST", path, json), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> ingressGet(String path) throws Exception {
    return send(ingress, "GET", path, null);
  }

  String log() throws Exception {
    return Files.readString(dir.resolve("server.log"));
  }

  private boolean healthy() {
    try {
      return send(admin, "GET", "/health", null).statusCode() == 200
          && send(ingress, "GET", "/restate/health", null).statusCode() == 200;
    } catch (Exception notYet) {
      return false;
    }
  }

  private HttpResponse<String> send(int port, String method, String path, String json) throws Exception {
    return HTTP.send(request(port, method, path, json), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(int port, String method, String path, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60));
    if (json == null) {
      return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
    }
    return b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  @Override
  public void close() throws Exception {
    Launch.kill9(process);
  }
}
