package dev.resolute.sdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.sdk.HandlerRunner;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.endpoint.definition.InvocationRetryPolicy;
import dev.resolute.sdk.http.ResoluteHttpServer;
import dev.resolute.testsupport.Ingress;
import dev.resolute.testsupport.RestateServerProcess;
import dev.resolute.testsupport.ServerProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example services against a server; subclasses choose the server (the real restate-server
 * 1.7.12 or Resolute) and HTTP/2 or HTTP/1.1.
 */
@Timeout(60)
abstract class RealRestateServerITBase {
  static final ObjectMapper JSON = new ObjectMapper();
  static ServerProcess server;
  static ResoluteHttpServer endpointServer;
  static Ingress ingress;

  /** The Retrier service's own executor (one per test class: the classes share this JVM). */
  static ExecutorService retrierExecutor;

  static void startAll(String name, boolean http11) throws Exception {
    startAll(RestateServerProcess.create(name), http11);
  }

  /** Starts {@code process} (not yet started), the endpoint, and registers it. */
  static void startAll(ServerProcess process, boolean http11) throws Exception {
    server = process.start();
    retrierExecutor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "retrier-executor");
              t.setDaemon(true);
              return t;
            });
    Endpoint endpoint =
        Endpoint.bind(new ExampleServices.Greeter())
            .bind(new ExampleServices.CartObject())
            .bind(ExampleServices.signupWorkflow())
            .bind(ExampleServices.futures())
            .bind(
                ExampleServices.retrier(),
                HandlerRunner.Options.withExecutor(retrierExecutor),
                conf ->
                    conf.invocationRetryPolicy(
                        InvocationRetryPolicy.builder()
                            .initialInterval(Duration.ofMillis(20))
                            .maxInterval(Duration.ofMillis(50))
                            .maxAttempts(2)
                            .onMaxAttempts(InvocationRetryPolicy.OnMaxAttempts.KILL)))
            .build();
    endpointServer = ResoluteHttpServer.start(endpoint, "127.0.0.1", 0);
    String reg = server.registerDeployment("http://127.0.0.1:" + endpointServer.port(), http11);
    assertThat(reg).contains("Greeter", "Cart", "Signup");
    ingress = new Ingress(server.ingressUrl());
  }

  @AfterAll
  static void stopAll() {
    if (endpointServer != null) {
      endpointServer.close();
    }
    if (server != null) {
      server.close();
    }
    if (retrierExecutor != null) {
      retrierExecutor.shutdownNow();
    }
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void greeterPlainCall() throws Exception {
    HttpResponse<String> r = ingress.post("/Greeter/greet", "\"Alice\"");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"Hello Alice\"");
  }

  @Test
  void threeRuns() throws Exception {
    HttpResponse<String> r = ingress.post("/Greeter/runs", "\"x\"");
    assertThat(r.body()).isEqualTo("\"x:123\"");
  }

  @Test
  void durableSleep() throws Exception {
    HttpResponse<String> r = ingress.post("/Greeter/sleepy", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"slept true\"");
  }

  @Test
  void callAndSend() throws Exception {
    HttpResponse<String> r = ingress.post("/Greeter/callOthers", "\"Bob\"");
    assertThat(r.body()).isEqualTo("\"Hello Bob!\"");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(ingress.post("/Cart/sent-Bob/get", null).body())
                    .isEqualTo("[\"from-send\"]"));
  }

  @Test
  void cartStateGetSetClear() throws Exception {
    String cart = unique("cart");
    assertThat(ingress.post("/Cart/" + cart + "/add", "\"apple\"").statusCode()).isEqualTo(200);
    assertThat(ingress.post("/Cart/" + cart + "/add", "\"pear\"").statusCode()).isEqualTo(200);
    assertThat(ingress.post("/Cart/" + cart + "/get", null).body())
        .isEqualTo("[\"apple\",\"pear\"]");
    assertThat(ingress.post("/Cart/" + cart + "/keys", null).body()).isEqualTo("[\"items\"]");
    assertThat(ingress.post("/Cart/" + cart + "/checkout", null).body()).isEqualTo("2");
    assertThat(ingress.post("/Cart/" + cart + "/get", null).body()).isEqualTo("[]");
  }

  @Test
  void workflowPromiseResolvedBySharedHandler() throws Exception {
    String id = unique("wf");
    HttpResponse<String> submit = ingress.post("/Signup/" + id + "/run/send", "\"a@b.c\"");
    assertThat(submit.statusCode()).as(submit.body()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(ingress.post("/Signup/" + id + "/email", null).body())
                    .isEqualTo("\"a@b.c\""));
    assertThat(ingress.post("/Signup/" + id + "/click", "\"s3cret\"").body())
        .isEqualTo("\"clicked\"");
    HttpResponse<String> out = ingress.get("/restate/workflow/Signup/" + id + "/attach");
    assertThat(out.body()).isEqualTo("\"verified a@b.c with s3cret\"");
  }

  @Test
  void awakeableResolvedThroughIngress() throws Exception {
    String holder = unique("holder");
    HttpResponse<String> sent = ingress.post("/Greeter/waitAwakeable/send", "\"" + holder + "\"");
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
    String invocationId = JSON.readTree(sent.body()).get("invocationId").asText();
    String[] awakeableId = new String[1];
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode items = JSON.readTree(ingress.post("/Cart/" + holder + "/get", null).body());
              assertThat(items.size()).isEqualTo(1);
              awakeableId[0] = items.get(0).asText();
            });
    assertThat(awakeableId[0]).startsWith("sign_1");
    HttpResponse<String> res =
        ingress.post("/restate/awakeables/" + awakeableId[0] + "/resolve", "\"hi\"");
    assertThat(res.statusCode()).as(res.body()).isIn(200, 202);
    assertThat(ingress.get("/restate/invocation/" + invocationId + "/attach").body())
        .isEqualTo("\"awoken with hi\"");
  }

  @Test
  void cancellationSurfacesAsTerminal409() throws Exception {
    HttpResponse<String> sent = ingress.post("/Greeter/sleepLong/send", null);
    String invocationId = JSON.readTree(sent.body()).get("invocationId").asText();
    Thread.sleep(300);
    java.net.http.HttpResponse<String> cancel =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            server.adminUrl() + "/invocations/" + invocationId + "/cancel"))
                    .method("PATCH", java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(cancel.statusCode()).as(cancel.body()).isBetween(200, 299);
    HttpResponse<String> out = ingress.get("/restate/invocation/" + invocationId + "/attach");
    assertThat(out.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(out.body()).get("message").asText())
        .isEqualTo("Cancelled and compensated");
  }

  @Test
  void terminalErrorReachesCallerWithCode() throws Exception {
    HttpResponse<String> r = ingress.post("/Greeter/terminal", "\"now\"");
    assertThat(r.statusCode()).isEqualTo(418);
    assertThat(JSON.readTree(r.body()).get("message").asText()).isEqualTo("no coffee: now");
  }

  @Test
  void retryableRunFailureSucceedsOnRetry() throws Exception {
    ExampleServices.RUN_FAILURES.set(0);
    HttpResponse<String> r = ingress.post("/Greeter/flakyRun", "\"k\"");
    assertThat(r.body()).isEqualTo("\"ok after 3\"");
  }

  @Test
  void retryableHandlerFailureSucceedsOnRetry() throws Exception {
    ExampleServices.HANDLER_FAILURES.set(0);
    HttpResponse<String> r = ingress.post("/Greeter/flakyHandler", "\"k\"");
    assertThat(r.body()).isEqualTo("\"handler ok\"");
  }

  @Test
  void runRetryPolicyExhaustedBecomesTerminal() throws Exception {
    HttpResponse<String> r = ingress.post("/Greeter/runExhausted", null);
    assertThat(r.body()).isEqualTo("\"gave up: 500\"");
  }

  @Test
  void callFutureGivesTheCalleeInvocationId() throws Exception {
    HttpResponse<String> r = ingress.post("/Futures/callId", "\"Zed\"");
    assertThat(r.body()).isEqualTo("\"true:Hello Zed\"");
  }

  @Test
  void mappedFailureTurnsACalleeTerminalErrorIntoAValue() throws Exception {
    HttpResponse<String> r = ingress.post("/Futures/mappedFailure", "\"nope\"");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"caught 418 no coffee: nope\"");
  }

  @Test
  void selectAwaitedWithATimeout() throws Exception {
    HttpResponse<String> r = ingress.post("/Futures/selectTimeout", null);
    assertThat(r.body()).isEqualTo("\"timed out 408\"");
  }

  /**
   * The invocation retry policy from the manifest: two attempts, then killed; the handlers ran on
   * their own executor.
   */
  @Test
  void invocationRetryPolicyKillsAfterMaxAttempts() throws Exception {
    ExampleServices.RETRIER_THREADS.clear();
    HttpResponse<String> r = ingress.post("/Retrier/alwaysFails", null);
    assertThat(r.statusCode()).isGreaterThanOrEqualTo(400);
    assertThat(ExampleServices.RETRIER_THREADS)
        .containsExactly("retrier-executor", "retrier-executor");
  }
}
