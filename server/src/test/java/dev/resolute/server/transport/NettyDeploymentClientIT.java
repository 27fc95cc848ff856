package dev.resolute.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.protocol.ProtocolVersion;
import dev.resolute.server.admin.SdkEndpoint;
import dev.resolute.testsupport.RefusingPort;
import io.netty.channel.Channel;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class NettyDeploymentClientIT {
  private static NioEventLoopGroup group;
  private static NettyDeploymentClient client;
  private static SdkEndpoint sdk;
  private static Channel h2Echo;
  private static Channel h1Echo;
  private static Channel h1Only;

  @BeforeAll
  static void setUp() throws Exception {
    group = new NioEventLoopGroup(2);
    client = new NettyDeploymentClient(group);
    sdk = SdkEndpoint.start();
    h2Echo = EchoServers.h2Echo(group, 100);
    h1Echo = EchoServers.http1Echo(group);
    h1Only = EchoServers.http1Only(group);
  }

  @AfterAll
  static void tearDown() throws Exception {
    client.close();
    sdk.close();
    h2Echo.close().sync();
    h1Echo.close().sync();
    h1Only.close().sync();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  private static int port(Channel c) {
    return ((InetSocketAddress) c.localAddress()).getPort();
  }

  private static List<Map.Entry<String, String>> discoverHeaders() {
    return List.of(Map.entry("accept", ProtocolVersion.DISCOVERY_ACCEPT));
  }

  @Test
  void discoverOverH2cFromOfficialSdk() throws Exception {
    UnaryResponse r =
        client
            .request(
                URI.create(sdk.uri() + "/discover"),
                "GET",
                discoverHeaders(),
                null,
                false,
                Duration.ofSeconds(10))
            .get();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.httpVersion()).isEqualTo("HTTP/2.0");
    assertThat(r.header("content-type"))
        .isEqualTo("application/vnd.restate.endpointmanifest.v4+json");
    assertThat(r.header("x-restate-server")).startsWith("restate-sdk-java/2.4.0");
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(body).contains("\"protocolMode\":\"BIDI_STREAM\"").contains("AdmGreeter");
  }

  @Test
  void discoverOverHttp11FromOfficialSdk() throws Exception {
    for (int i = 0; i < 3; i++) { // keep-alive reuse
      UnaryResponse r =
          client
              .request(
                  URI.create(sdk.uri() + "/discover"),
                  "GET",
                  discoverHeaders(),
                  null,
                  true,
                  Duration.ofSeconds(10))
              .get();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.httpVersion()).isEqualTo("HTTP/1.1");
      String body = new String(r.body(), StandardCharsets.UTF_8);
      assertThat(body).contains("\"protocolMode\":\"REQUEST_RESPONSE\"").contains("AdmCounter");
    }
  }

  @Test
  void h2DuplexEchoBeforeRequestEnds() throws Exception {
    RecordingListener l = new RecordingListener();
    Exchange ex =
        client.open(
            URI.create("http://127.0.0.1:" + port(h2Echo) + "/pre/fix/invoke/S/h?q=1"),
            "POST",
            List.of(
                Map.entry("content-type", "application/vnd.restate.invocation.v6"),
                Map.entry("X-Custom", "v")),
            false,
            l);
    ex.write("ping1".getBytes(StandardCharsets.UTF_8));
    assertThat(l.status.get(10, TimeUnit.SECONDS)).isEqualTo(200);
    assertThat(l.header("x-echo-path")).isEqualTo("/pre/fix/invoke/S/h?q=1");
    assertThat(l.header("x-echo-custom")).isEqualTo("v");
    assertThat(l.chunks.poll(10, TimeUnit.SECONDS)).isEqualTo("ping1");
    ex.write("ping2".getBytes(StandardCharsets.UTF_8));
    assertThat(l.chunks.poll(10, TimeUnit.SECONDS)).isEqualTo("ping2");
    assertThat(l.done).isNotDone();
    ex.end();
    l.done.get(10, TimeUnit.SECONDS);
    assertThat(l.terminalCalls).isEqualTo(1);
  }

  @Test
  void http11DuplexEchoBeforeRequestEnds() throws Exception {
    for (int round = 0; round < 2; round++) {
      RecordingListener l = new RecordingListener();
      Exchange ex =
          client.open(
              URI.create("http://127.0.0.1:" + port(h1Echo) + "/invoke/S/h"),
              "POST",
              List.of(),
              true,
              l);
      ex.write("a".getBytes(StandardCharsets.UTF_8));
      assertThat(l.status.get(10, TimeUnit.SECONDS)).isEqualTo(200);
      assertThat(l.header("x-echo-te")).isEqualTo("chunked");
      assertThat(l.chunks.poll(10, TimeUnit.SECONDS)).isEqualTo("a");
      ex.write("b".getBytes(StandardCharsets.UTF_8));
      assertThat(l.chunks.poll(10, TimeUnit.SECONDS)).isEqualTo("b");
      ex.end();
      l.done.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void manyConcurrentStreamsUseSeveralConnections() throws Exception {
    int before = EchoServers.CONNECTIONS.get();
    List<RecordingListener> ls = new ArrayList<>();
    List<Exchange> exs = new ArrayList<>();
    URI uri = URI.create("http://127.0.0.1:" + port(h2Echo) + "/many");
    for (int i = 0; i < 250; i++) {
      RecordingListener l = new RecordingListener();
      Exchange ex = client.open(uri, "POST", List.of(), false, l);
      ex.write(("m" + i).getBytes(StandardCharsets.UTF_8));
      ls.add(l);
      exs.add(ex);
    }
    for (int i = 0; i < ls.size(); i++) {
      assertThat(ls.get(i).chunks.poll(20, TimeUnit.SECONDS)).isEqualTo("m" + i);
    }
    // all 250 streams are open at once although the peer allows 100 per connection: >= 3
    // connections
    // (one may be pooled from an earlier test)
    assertThat(EchoServers.CONNECTIONS.get() - before).isGreaterThanOrEqualTo(2);
    assertThat(EchoServers.MAX_CONCURRENT.get()).isGreaterThanOrEqualTo(250);
    exs.forEach(Exchange::end);
    CompletableFuture.allOf(ls.stream().map(l -> l.done).toArray(CompletableFuture[]::new))
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void cancelResetsTheStream() throws Exception {
    RecordingListener l = new RecordingListener();
    Exchange ex =
        client.open(
            URI.create("http://127.0.0.1:" + port(h2Echo) + "/c"), "POST", List.of(), false, l);
    ex.write("x".getBytes(StandardCharsets.UTF_8));
    assertThat(l.chunks.poll(10, TimeUnit.SECONDS)).isEqualTo("x");
    ex.cancel();
    assertThatThrownBy(() -> l.done.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TransportException.class);
    assertThat(((TransportException) catchCause(l.done)).kind())
        .isEqualTo(TransportException.Kind.CANCELLED);
  }

  @Test
  void connectionRefusedIsConnectError() throws Exception {
    try (RefusingPort refusing = RefusingPort.open()) {
      CompletableFuture<UnaryResponse> f =
          client.request(
              URI.create("http://127.0.0.1:" + refusing.port() + "/discover"),
              "GET",
              discoverHeaders(),
              null,
              false,
              Duration.ofSeconds(10));
      assertThat(((TransportException) catchCause(f)).kind())
          .isEqualTo(TransportException.Kind.CONNECT);
    }
  }

  @Test
  void h2AgainstHttp11OnlyServerIsProtocolError() throws Exception {
    CompletableFuture<UnaryResponse> f =
        client.request(
            URI.create("http://127.0.0.1:" + port(h1Only) + "/discover"),
            "GET",
            discoverHeaders(),
            null,
            false,
            Duration.ofSeconds(10));
    Throwable t = catchCause(f);
    assertThat(t).isInstanceOf(TransportException.class);
    assertThat(((TransportException) t).kind()).isEqualTo(TransportException.Kind.PROTOCOL);
  }

  @Test
  void unaryTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      CompletableFuture<UnaryResponse> f =
          client.request(
              URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/discover"),
              "GET",
              discoverHeaders(),
              null,
              true,
              Duration.ofMillis(300));
      assertThat(((TransportException) catchCause(f)).kind())
          .isEqualTo(TransportException.Kind.TIMEOUT);
    }
  }

  private static Throwable catchCause(CompletableFuture<?> f) throws Exception {
    try {
      f.get(20, TimeUnit.SECONDS);
      throw new AssertionError("expected failure");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
