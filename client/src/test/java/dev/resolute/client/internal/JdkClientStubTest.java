package dev.resolute.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.resolute.client.Client;
import dev.resolute.client.IngressException;
import dev.resolute.client.RequestOptions;
import dev.resolute.client.SendResponse;
import dev.resolute.common.Output;
import dev.resolute.common.Request;
import dev.resolute.common.Target;
import dev.resolute.serde.TypeTag;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the client puts on the wire and how it maps answers, against a scripted HTTP stub. */
class JdkClientStubTest {
  record Seen(String method, String uri, Map<String, List<String>> headers, String body) {}

  private HttpServer stub;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String contentType = "application/json";
  private volatile String answer = "\"ok\"";
  private Client client;

  @BeforeEach
  void start() throws IOException {
    stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext("/", this::handle);
    stub.start();
    client =
        Client.connect(
            "http://127.0.0.1:" + stub.getAddress().getPort() + "/",
            RequestOptions.builder().header("x-client", "c").build());
  }

  @AfterEach
  void stop() {
    stub.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    seen.add(
        new Seen(
            ex.getRequestMethod(), ex.getRequestURI().toString(), ex.getRequestHeaders(), body));
    byte[] out = answer.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("content-type", contentType);
    ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      ex.getResponseBody().write(out);
    }
    ex.close();
  }

  @Test
  void callSendsBodyContentTypeIdempotencyKeyAndHeaders() {
    String r =
        client
            .call(
                Request.of(
                        Target.virtualObject("Obj", "k 1", "h"),
                        TypeTag.of(String.class),
                        TypeTag.of(String.class),
                        "in")
                    .idempotencyKey("idem")
                    .header("x-req", "r"))
            .response();
    assertThat(r).isEqualTo("ok");
    Seen s = seen.get(0);
    assertThat(s.method()).isEqualTo("POST");
    assertThat(s.uri()).isEqualTo("/Obj/k%201/h");
    assertThat(s.body()).isEqualTo("\"in\"");
    assertThat(s.headers().get("Content-type")).containsExactly("application/json");
    assertThat(s.headers().get("Idempotency-key")).containsExactly("idem");
    assertThat(s.headers().get("X-client")).containsExactly("c");
    assertThat(s.headers().get("X-req")).containsExactly("r");
  }

  @Test
  void voidInputHasNoBodyAndNoContentType() {
    answer = "";
    client.call(
        Request.of(Target.service("S", "h"), TypeTag.of(Void.class), TypeTag.of(Void.class), null));
    assertThat(seen.get(0).body()).isEmpty();
    assertThat(seen.get(0).headers().get("Content-type")).isNull();
  }

  @Test
  void sendParsesStatus() {
    status = 202;
    answer = "{\"invocationId\":\"inv_1\",\"status\":\"PreviouslyAccepted\"}";
    SendResponse<String> r =
        client.send(
            Request.of(
                Target.service("S", "h"), TypeTag.of(String.class), TypeTag.of(String.class), "x"),
            java.time.Duration.ofSeconds(3));
    assertThat(seen.get(0).uri()).isEqualTo("/S/h/send?delay=3000ms");
    assertThat(r.sendStatus()).isEqualTo(SendResponse.SendStatus.PREVIOUSLY_ACCEPTED);
    assertThat(r.invocationId()).isEqualTo("inv_1");
  }

  @Test
  void malformedSendAnswerIsIngressException() {
    status = 202;
    answer = "{\"status\":\"Accepted\"}";
    assertThatThrownBy(
            () ->
                client.send(
                    Request.of(
                        Target.service("S", "h"),
                        TypeTag.of(String.class),
                        TypeTag.of(String.class),
                        "x")))
        .isInstanceOf(IngressException.class)
        .hasMessageContaining("invocationId");
  }

  @Test
  void notReadyOutputIs470() {
    status = 470;
    answer = "{\"message\":\"not ready\"}";
    Output<String> o = client.invocationHandle("inv_1", String.class).getOutput().response();
    assertThat(o.isReady()).isFalse();
    assertThat(seen.get(0).method()).isEqualTo("GET");
    assertThat(seen.get(0).uri()).isEqualTo("/restate/invocation/inv_1/output");
  }

  @Test
  void non2xxCarriesStatusAndIngressMessage() {
    status = 409;
    answer = "{\"code\":409,\"message\":\"boom\"}";
    assertThatThrownBy(() -> client.workflowHandle("Wf", "id", String.class).attach())
        .isInstanceOfSatisfying(
            IngressException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(409);
              assertThat(e.getMessage())
                  .contains("boom")
                  .contains("GET")
                  .contains("/restate/workflow/Wf/id/attach");
              assertThat(new String(e.getResponseBody(), StandardCharsets.UTF_8)).isEqualTo(answer);
            });
  }

  @Test
  void nonJsonErrorKeepsBody() {
    status = 503;
    contentType = "text/plain";
    answer = "unavailable";
    assertThatThrownBy(
            () ->
                client.call(
                    Request.of(
                        Target.service("S", "h"),
                        TypeTag.of(String.class),
                        TypeTag.of(String.class),
                        "x")))
        .isInstanceOfSatisfying(
            IngressException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(503);
              assertThat(e.getMessage()).contains("unavailable");
            });
  }

  @Test
  void rejectSendsTextPlain() {
    answer = "";
    client.awakeableHandle("sign_1").reject("because");
    assertThat(seen.get(0).uri()).isEqualTo("/restate/awakeables/sign_1/reject");
    assertThat(seen.get(0).headers().get("Content-type")).containsExactly("text/plain");
    assertThat(seen.get(0).body()).isEqualTo("because");
  }

  @Test
  void connectionRefusedIsIngressExceptionWithoutStatus() {
    stub.stop(0);
    assertThatThrownBy(
            () ->
                client.call(
                    Request.of(
                        Target.service("S", "h"),
                        TypeTag.of(String.class),
                        TypeTag.of(String.class),
                        "x")))
        .isInstanceOfSatisfying(
            IngressException.class, e -> assertThat(e.getStatusCode()).isEqualTo(-1));
  }

  @Test
  void relativeBaseUriIsRejected() {
    assertThatThrownBy(() -> Client.connect("/relative/path"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
