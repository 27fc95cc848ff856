package dev.resolute.sdk.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.sdk.http.ResoluteHttpServer;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The same protocol cases over real HTTP/2 (h2c prior knowledge) on loopback. */
@Timeout(30)
class H2ProtocolTest {
  static ResoluteHttpServer server;
  static H2TestClient client;

  @BeforeAll
  static void start() throws Exception {
    server = ResoluteHttpServer.start(InMemoryProtocolTest.endpoint(), "127.0.0.1", 0);
    client = new H2TestClient("127.0.0.1", server.port());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  static List<ProtocolCase> cases() {
    return ProtocolCases.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void overHttp2(ProtocolCase c) throws Exception {
    CompletableFuture<Http2Headers> headers = new CompletableFuture<>();
    Conversation[] self = new Conversation[1];
    Http2StreamChannel stream =
        client.open(
            "POST",
            "/invoke/" + c.service().getServiceName() + "/" + c.handler(),
            Map.of(
                "content-type",
                "application/vnd.restate.invocation.v6",
                "accept",
                "application/vnd.restate.invocation.v6"),
            headers,
            b -> self[0].onResponseBytes(b),
            () -> self[0].onResponseEnd());
    self[0] =
        new Conversation() {
          @Override
          void send(byte[] bytes) {
            client.send(stream, bytes, false);
          }

          @Override
          void closeInput() {
            client.send(stream, new byte[0], true);
          }
        };
    self[0].play(c);
    Http2Headers h = headers.get(1, TimeUnit.SECONDS);
    assertThat(h.status().toString()).isEqualTo("200");
    assertThat(h.get("content-type").toString()).isEqualTo("application/vnd.restate.invocation.v6");
    assertThat(h.get("x-restate-server").toString()).startsWith("resolute-sdk-java/");
  }
}
