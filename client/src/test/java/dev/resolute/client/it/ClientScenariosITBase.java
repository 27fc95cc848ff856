package dev.resolute.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.resolute.client.Client;
import dev.resolute.client.IngressException;
import dev.resolute.client.RequestOptions;
import dev.resolute.client.Response;
import dev.resolute.client.SendResponse;
import dev.resolute.client.it.ClientTestServices.Greeting;
import dev.resolute.client.testsupport.TestServer;
import dev.resolute.common.Output;
import dev.resolute.common.Request;
import dev.resolute.common.Target;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.http.ResoluteHttpServer;
import dev.resolute.serde.TypeTag;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every client operation against a server; subclasses choose the real restate-server or Resolute.
 * The services are Resolute SDK services served on a loopback port.
 */
@Timeout(60)
abstract class ClientScenariosITBase {
  static final TypeTag<String> STRING = TypeTag.of(String.class);
  static TestServer server;
  static ResoluteHttpServer endpoint;
  static Client client;

  static void startAll(TestServer s) throws Exception {
    server = s;
    endpoint =
        ResoluteHttpServer.start(
            Endpoint.bind(new ClientTestServices.Echo())
                .bind(new ClientTestServices.Box())
                .bind(new ClientTestServices.Approval())
                .build(),
            "127.0.0.1",
            0);
    assertThat(server.registerDeployment("http://127.0.0.1:" + endpoint.port(), false))
        .contains("Echo", "Box", "Approval");
    client = Client.connect(server.ingressUrl());
  }

  @AfterAll
  static void stopAll() {
    if (endpoint != null) {
      endpoint.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Request<String, String> echo(String s) {
    return Request.of(Target.service("Echo", "echo"), STRING, STRING, s);
  }

  @Test
  void callDecodesTypedOutput() {
    Response<Greeting> r =
        client.call(
            Request.of(
                Target.service("Echo", "greet"),
                TypeTag.of(Greeting.class),
                TypeTag.of(Greeting.class),
                new Greeting("Ada", 1)));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.response()).isEqualTo(new Greeting("Hello Ada", 2));
    assertThat(r.headers().get("x-restate-id")).startsWith("inv_");
    assertThat(r.headers().get("Content-Type")).contains("application/json");
  }

  @Test
  void voidCallHasNullBody() {
    Response<Void> r =
        client.call(
            Request.of(
                Target.service("Echo", "noop"),
                TypeTag.of(Void.class),
                TypeTag.of(Void.class),
                null));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.response()).isNull();
  }

  @Test
  void asyncCall() throws Exception {
    CompletableFuture<Response<String>> f = client.callAsync(echo("async"));
    assertThat(f.get().response()).isEqualTo("async");
  }

  @Test
  void clientAndRequestHeadersReachTheHandler() {
    Request<Void, String> header =
        Request.of(Target.service("Echo", "header"), TypeTag.of(Void.class), STRING, null);
    assertThat(client.call(header).response()).isEqualTo("none");
    Client withDefaults =
        Client.connect(
            server.ingressUrl(), RequestOptions.builder().header("x-test", "client").build());
    assertThat(withDefaults.call(header).response()).isEqualTo("client");
    assertThat(withDefaults.call(header.toBuilder().header("x-test", "request")).response())
        .isEqualTo("request");
  }

  @Test
  void terminalFailureBecomesIngressExceptionWithCodeAndMessage() {
    assertThatThrownBy(
            () -> client.call(Request.of(Target.service("Echo", "fail"), STRING, STRING, "teapot")))
        .isInstanceOfSatisfying(
            IngressException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(418);
              assertThat(e.getMessage()).contains("teapot");
              assertThat(new String(e.getResponseBody())).contains("teapot");
              assertThat(e.getRequestMethod()).isEqualTo("POST");
              assertThat(e.getRequestURI()).endsWith("/Echo/fail");
            });
  }

  @Test
  void asyncFailureCompletesExceptionally() {
    CompletableFuture<Response<String>> f =
        client.callAsync(Request.of(Target.service("Echo", "fail"), STRING, STRING, "x"));
    assertThatThrownBy(f::join).hasCauseInstanceOf(IngressException.class);
  }

  @Test
  void unknownServiceIs404() {
    assertThatThrownBy(
            () ->
                client.call(Request.of(Target.service("NoSuchService", "h"), STRING, STRING, "x")))
        .isInstanceOfSatisfying(
            IngressException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
  }

  @Test
  void sendThenAttachAndOutputByInvocationId() {
    SendResponse<String> sent =
        client.send(
            Request.of(Target.service("Echo", "sleepy"), TypeTag.of(Long.class), STRING, 300L));
    assertThat(sent.statusCode()).isEqualTo(202);
    assertThat(sent.sendStatus()).isEqualTo(SendResponse.SendStatus.ACCEPTED);
    assertThat(sent.invocationId()).startsWith("inv_");
    assertThat(sent.attach().response()).isEqualTo("slept 300");
    Response<Output<String>> out =
        client.invocationHandle(sent.invocationId(), String.class).getOutput();
    assertThat(out.response()).isEqualTo(Output.ready("slept 300"));
  }

  @Test
  void delayedSendIsNotReadyBeforeTheDelay() {
    long t0 = System.nanoTime();
    SendResponse<String> sent = client.send(echo("later"), Duration.ofSeconds(2));
    assertThat(sent.sendStatus()).isEqualTo(SendResponse.SendStatus.ACCEPTED);
    assertThat(sent.getOutput().response().isReady()).isFalse();
    assertThat(sent.attach().response()).isEqualTo("later");
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
  }

  @Test
  void idempotentCallRunsOnceAndIsAttachableByKey() {
    String key = unique("box");
    Target incr = Target.virtualObject("Box", key, "incr");
    Request<Void, Integer> req =
        Request.of(incr, TypeTag.of(Void.class), TypeTag.of(Integer.class), null)
            .idempotencyKey("once")
            .build();
    assertThat(client.call(req).response()).isEqualTo(1);
    assertThat(client.call(req).response()).isEqualTo(1);
    Client.IdempotentInvocationHandle<Integer> h =
        client.idempotentInvocationHandle(incr, "once", Integer.class);
    assertThat(h.attach().response()).isEqualTo(1);
    assertThat(h.getOutput().response()).isEqualTo(Output.ready(1));
    // without the key the handler runs again
    assertThat(
            client
                .call(Request.of(incr, TypeTag.of(Void.class), TypeTag.of(Integer.class), null))
                .response())
        .isEqualTo(2);
  }

  @Test
  void idempotentSendIsPreviouslyAcceptedTheSecondTime() {
    Request<String, String> req = echo("dup").toBuilder().idempotencyKey(unique("idem")).build();
    SendResponse<String> first = client.send(req);
    SendResponse<String> second = client.send(req);
    assertThat(first.sendStatus()).isEqualTo(SendResponse.SendStatus.ACCEPTED);
    assertThat(second.sendStatus()).isEqualTo(SendResponse.SendStatus.PREVIOUSLY_ACCEPTED);
    assertThat(second.invocationId()).isEqualTo(first.invocationId());
    assertThat(second.attach().response()).isEqualTo("dup");
  }

  @Test
  void idempotentOutputOfUnknownKeyIsAnError() {
    Client.IdempotentInvocationHandle<String> h =
        client.idempotentInvocationHandle(
            Target.service("Echo", "echo"), unique("never"), String.class);
    assertThatThrownBy(h::getOutput)
        .isInstanceOfSatisfying(
            IngressException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
  }

  @Test
  void workflowSubmitAttachAndOutput() {
    String id = unique("wf");
    Request<String, String> run =
        Request.of(Target.workflow("Approval", id, "run"), STRING, STRING, "order-1");
    SendResponse<String> first = client.submit(run);
    assertThat(first.sendStatus()).isEqualTo(SendResponse.SendStatus.ACCEPTED);
    SendResponse<String> again = client.submit(run);
    assertThat(again.sendStatus()).isEqualTo(SendResponse.SendStatus.PREVIOUSLY_ACCEPTED);
    assertThat(again.invocationId()).isEqualTo(first.invocationId());

    Client.WorkflowHandle<String> wf = client.workflowHandle("Approval", id, String.class);
    assertThat(wf.getOutput().response().isReady()).isFalse();
    client.call(
        Request.of(
            Target.workflow("Approval", id, "decide"), STRING, TypeTag.of(Void.class), "approved"));
    assertThat(wf.attach().response()).isEqualTo("order-1: approved");
    assertThat(wf.getOutput().response()).isEqualTo(Output.ready("order-1: approved"));
    assertThat(first.attach().response()).isEqualTo("order-1: approved");
  }

  @Test
  void submitNeedsAKeyedTarget() {
    assertThatThrownBy(() -> client.submit(echo("x"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void awakeableResolvedFromOutside() {
    String box = unique("awk");
    SendResponse<String> sent =
        client.send(Request.of(Target.service("Echo", "waitForAwakeable"), STRING, STRING, box));
    String awakeableId = awaitBox(box);
    assertThat(awakeableId).startsWith("sign_");
    assertThat(sent.getOutput().response().isReady()).isFalse();
    Response<Void> r = client.awakeableHandle(awakeableId).resolve(String.class, "yes");
    assertThat(r.statusCode()).isBetween(200, 299);
    assertThat(sent.attach().response()).isEqualTo("got yes");
  }

  @Test
  void awakeableRejectedFromOutside() {
    String box = unique("awk");
    SendResponse<String> sent =
        client.send(Request.of(Target.service("Echo", "waitForAwakeable"), STRING, STRING, box));
    client.awakeableHandle(awaitBox(box)).reject("not today");
    assertThatThrownBy(sent::attach)
        .isInstanceOfSatisfying(
            IngressException.class, e -> assertThat(e.getMessage()).contains("not today"));
  }

  @Test
  void awakeableWithBadIdIs4xx() {
    assertThatThrownBy(() -> client.awakeableHandle("sign_garbage").resolve(String.class, "x"))
        .isInstanceOfSatisfying(
            IngressException.class, e -> assertThat(e.getStatusCode()).isBetween(400, 499));
  }

  private static String awaitBox(String key) {
    Request<Void, String> get =
        Request.of(Target.virtualObject("Box", key, "get"), TypeTag.of(Void.class), STRING, null);
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> client.call(get).response(), v -> v != null);
  }
}
