package dev.resolute.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.http.HttpServer;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link IngressApi} behind the real Netty {@link HttpServer} on 127.0.0.1, driven by
 * java.net.http.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IngressApiIT {
  private NioEventLoopGroup group;
  private HttpServer server;
  private final IngressFakes.FakeDispatcher dispatcher = new IngressFakes.FakeDispatcher();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeEach
  void start() {
    group = new NioEventLoopGroup(1);
    server =
        HttpServer.start(
            "ingress",
            new InetSocketAddress("127.0.0.1", 0),
            group,
            64 * 1024,
            new IngressApi(
                IngressFakes.captureSchemas(), dispatcher, Clock.systemUTC(), new Random()));
  }

  @AfterEach
  void stop() {
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("content-type", "application/json")
            .header("x-foo", "bar")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void callSendAndErrorsOverTheWire() throws Exception {
    HttpResponse<String> call = post("/CaptureServicesGreeter/greet", "\"bob\"");
    assertThat(call.statusCode()).isEqualTo(200);
    assertThat(call.body()).isEqualTo("\"Hello bob\"");
    assertThat(call.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(call.headers().firstValue("x-restate-id"))
        .hasValue(dispatcher.calls.get(0).id().toString());
    assertThat(dispatcher.calls.get(0).headers().get(0).getValue())
        .isEqualTo("/CaptureServicesGreeter/greet");
    assertThat(dispatcher.calls.get(0).headers())
        .contains(java.util.Map.entry("x-foo", "bar"))
        .noneMatch(h -> h.getKey().equals("host") || h.getKey().equals("connection"));

    HttpResponse<String> send = post("/CaptureServicesCounter/my%20key/add/send?delay=1s", "1");
    assertThat(send.statusCode()).isEqualTo(202);
    assertThat(send.body()).contains("\"executionTime\":", "\"status\":\"Accepted\"");
    assertThat(dispatcher.submits.get(0).key()).isEqualTo("my key");

    HttpResponse<String> unknown = post("/Nope/greet", "\"bob\"");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("x-restate-error-source")).hasValue("ingress");

    HttpResponse<String> health =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/restate/health"))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).startsWith("{\"services\":[");
  }

  @Test
  void oversizeBodyIs413() throws Exception {
    HttpResponse<String> r =
        post("/CaptureServicesGreeter/greet", "\"" + "a".repeat(100 * 1024) + "\"");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(dispatcher.calls).isEmpty();
  }
}
