package dev.resolute.sdk.processor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resolute.client.Client;
import dev.resolute.client.SendResponse;
import dev.resolute.client.testsupport.TestServer;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.http.ResoluteHttpServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Generated ingress and context clients end to end; subclasses pick the server. */
@Timeout(60)
abstract class GeneratedClientsITBase {
  static TestServer server;
  static ResoluteHttpServer endpoint;
  static Client client;

  static void startAll(TestServer s) throws Exception {
    server = s;
    endpoint =
        ResoluteHttpServer.start(
            Endpoint.bind(new Greeter()).bind(new Counter()).bind(new Signup()).build(),
            "127.0.0.1",
            0);
    assertThat(server.registerDeployment("http://127.0.0.1:" + endpoint.port(), false))
        .contains("GenGreeter", "Counter", "Signup");
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

  static String unique(String p) {
    return p + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void blockingAndAsyncIngressCalls() throws Exception {
    GreeterClient.IngressClient greeter = GreeterClient.fromClient(client);
    assertThat(greeter.greet("Ada")).isEqualTo("Hello Ada");
    assertThat(greeter.greetAsync("Bob").get()).isEqualTo("Hello Bob");
    greeter.nothing();
    assertThat(greeter.rawLength("12345".getBytes())).isEqualTo(5);
    assertThat(GreeterClient.connect(server.ingressUrl()).greet("Cy")).isEqualTo("Hello Cy");
  }

  @Test
  void contextClientsCallAndSendFromAHandler() {
    String name = unique("n");
    GreeterClient.IngressClient greeter = GreeterClient.fromClient(client);
    assertThat(greeter.countAndGreet(name)).isEqualTo("Hello " + name + " #1");
    assertThat(greeter.countAndGreet(name)).isEqualTo("Hello " + name + " #2");
    assertThat(CounterClient.fromClient(client, name).get()).isEqualTo(2L);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(CounterClient.fromClient(client, "sent-" + name).get()).isEqualTo(10L));
  }

  @Test
  void idempotencyKeyThroughTheOptionsLambda() {
    CounterClient.IngressClient counter = CounterClient.fromClient(client, unique("idem"));
    assertThat(counter.add(7, req -> req.idempotencyKey("once"))).isEqualTo(7L);
    assertThat(counter.add(7, req -> req.idempotencyKey("once"))).isEqualTo(7L);
    assertThat(counter.get()).isEqualTo(7L);
    SendResponse<Long> first = counter.send().add(1, req -> req.idempotencyKey("s"));
    SendResponse<Long> second = counter.send().add(1, req -> req.idempotencyKey("s"));
    assertThat(second.sendStatus()).isEqualTo(SendResponse.SendStatus.PREVIOUSLY_ACCEPTED);
    assertThat(second.invocationId()).isEqualTo(first.invocationId());
    assertThat(first.attach().response()).isEqualTo(8L);
  }

  @Test
  void delayedIngressSend() {
    CounterClient.IngressClient counter = CounterClient.fromClient(client, unique("later"));
    long t0 = System.nanoTime();
    SendResponse<Long> sent = counter.send().add(4, Duration.ofSeconds(1));
    assertThat(sent.sendStatus()).isEqualTo(SendResponse.SendStatus.ACCEPTED);
    assertThat(sent.attach().response()).isEqualTo(4L);
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  void workflowSubmitSignalAndAttach() {
    String id = unique("wf");
    SignupClient.IngressClient wf = SignupClient.fromClient(client, id);
    SendResponse<String> submitted = wf.submit("a@b.c");
    assertThat(submitted.sendStatus()).isEqualTo(SendResponse.SendStatus.ACCEPTED);
    assertThat(wf.submit("a@b.c").sendStatus())
        .isEqualTo(SendResponse.SendStatus.PREVIOUSLY_ACCEPTED);
    assertThat(wf.workflowHandle().getOutput().response().isReady()).isFalse();
    wf.confirm("1234");
    assertThat(wf.workflowHandle().attach().response()).isEqualTo("a@b.c confirmed with 1234");
    assertThat(submitted.attach().response()).isEqualTo("a@b.c confirmed with 1234");
  }
}
