package dev.resolute.sdktests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.RestateServerProcess;
import dev.resolute.testsupport.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A server under test in its own process — Resolute (this module's class path) or the real
 * restate-server 1.7.12, launched by test-support on ports it binds itself — with an HTTP/1.1
 * client for its ingress and admin APIs.
 */
final class Server implements AutoCloseable {
  enum Kind {
    RESOLUTE,
    RESTATE
  }

  /**
   * The environment that makes either server suspend an invocation whenever it awaits a completion.
   */
  static final Map<String, String> ALWAYS_SUSPENDING =
      Map.of("RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT", "0s");

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  final Kind kind;
  final Path dir;
  // both change when the server restarts: every process binds port 0
  volatile int ingress;
  volatile int admin;
  private final ServerProcess process;

  private Server(Kind kind, ServerProcess process) {
    this.kind = kind;
    this.process = process;
    this.dir = process.workDir();
    this.ingress = process.ingressPort();
    this.admin = process.adminPort();
  }

  /**
   * Starts a server of {@code kind} with {@code extraEnv}; test-support binds its ports to 0, reads
   * them back and waits until both APIs answer.
   */
  static Server start(Kind kind, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("RESTATE_DEFAULT_NUM_PARTITIONS", "4");
    env.putAll(extraEnv);
    ServerProcess p =
        kind == Kind.RESTATE
            ? RestateServerProcess.create("st").env(env)
            : ResoluteProcess.create("st").env(env);
    p.start();
    return new Server(kind, p);
  }

  /**
   * Registers the deployment at {@code uri} and waits until the ingress routes to {@code service}.
   */
  void register(String uri, String service) throws Exception {
    register(uri, service, false);
  }

  /**
   * Registers the deployment at {@code uri}, over HTTP/1.1 request/response when {@code http11}
   * ({@code "use_http_11": true}, what {@code restate deployments register --use-http1.1} sends),
   * and waits until the ingress routes to {@code service}.
   */
  void register(String uri, String service, boolean http11) throws Exception {
    String body = "{\"uri\":\"" + uri + "\"" + (http11 ? ",\"use_http_11\":true}" : "}");
    HttpResponse<String> r = send(admin, "POST", "/deployments", body);
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () ->
                send(ingress, "GET", "/restate/health", null).statusCode() == 200
                    && send(admin, "GET", "/services/" + service, null).statusCode() == 200);
  }

  /**
   * {@code kill -9}, then a start on the same data directory (new ports); waits until the ingress
   * is healthy again.
   */
  void restart() {
    process.restart();
    ingress = process.ingressPort();
    admin = process.adminPort();
  }

  /** A request to the ingress with a JSON body ({@code null}: no body) and extra headers. */
  HttpResponse<String> ingress(String method, String path, String json, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingress + path))
            .timeout(Duration.ofSeconds(60));
    headers.forEach(b::header);
    if (json == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("content-type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A POST to the ingress with a JSON body ({@code null}: no body). */
  HttpResponse<String> call(String path, String json) throws Exception {
    return send(ingress, "POST", path, json);
  }

  CompletableFuture<HttpResponse<String>> callAsync(String path, String json) {
    return HTTP.sendAsync(
        request(ingress, "POST", path, json), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> adminGet(String path) throws Exception {
    return send(admin, "GET", path, null);
  }

  HttpResponse<String> ingressGet(String path) throws Exception {
    return send(ingress, "GET", path, null);
  }

  String log() {
    return process.logTail();
  }

  private HttpResponse<String> send(int port, String method, String path, String json)
      throws Exception {
    return HTTP.send(request(port, method, path, json), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(int port, String method, String path, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60));
    if (json == null) {
      return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
    }
    return b.header("content-type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  @Override
  public void close() {
    process.discard();
  }
}
