package dev.resolute.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport options the configuration sets ({@code connect-timeout}, {@code
 * additional-request-headers}), against real loopback sockets.
 */
@Timeout(60)
class DeploymentClientOptionsIT {
  private final NioEventLoopGroup group = new NioEventLoopGroup(1);

  @AfterEach
  void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void additionalHeadersReachTheDeploymentWithoutReplacingTheRequestsOwn() throws Exception {
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    CompletableFuture<Map<String, List<String>>> seen = new CompletableFuture<>();
    http.createContext(
        "/discover",
        ex -> {
          seen.complete(Map.copyOf(ex.getRequestHeaders()));
          ex.sendResponseHeaders(200, 2);
          ex.getResponseBody().write("{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          ex.close();
        });
    http.start();
    try (NettyDeploymentClient client =
        new NettyDeploymentClient(
            group,
            NettyDeploymentClient.Options.DEFAULTS.with(
                Duration.ofSeconds(10), Map.of("X-Tenant", "blue", "accept", "text/plain")))) {
      UnaryResponse r =
          client
              .request(
                  URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/discover"),
                  "GET",
                  List.of(Map.entry("accept", "application/vnd.restate.endpointmanifest.v3+json")),
                  null,
                  true,
                  Duration.ofSeconds(10))
              .get(10, TimeUnit.SECONDS);
      assertThat(r.status()).isEqualTo(200);
      Map<String, List<String>> h = seen.get(10, TimeUnit.SECONDS);
      assertThat(h.get("X-tenant")).containsExactly("blue");
      assertThat(h.get("Accept"))
          .containsExactly("application/vnd.restate.endpointmanifest.v3+json");
    } finally {
      http.stop(0);
    }
  }

  /**
   * A listener whose accept queue is full drops further SYNs, so a connect to it neither succeeds
   * nor is refused: only the connect timeout ends it.
   */
  @Test
  void theConnectTimeoutEndsAConnectThatGetsNoAnswer() throws Exception {
    List<Socket> filling = new ArrayList<>();
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      for (int i = 0; i < 8; i++) {
        Socket s = new Socket();
        try {
          s.connect(full.getLocalSocketAddress(), 200);
          filling.add(s);
        } catch (java.io.IOException queueFull) {
          s.close();
          break;
        }
      }
      URI uri = URI.create("http://127.0.0.1:" + full.getLocalPort() + "/discover");
      try (NettyDeploymentClient quick =
              new NettyDeploymentClient(
                  group,
                  NettyDeploymentClient.Options.DEFAULTS.with(Duration.ofMillis(300), Map.of()));
          NettyDeploymentClient patient =
              new NettyDeploymentClient(
                  group,
                  NettyDeploymentClient.Options.DEFAULTS.with(Duration.ofSeconds(30), Map.of()))) {
        long t0 = System.nanoTime();
        CompletableFuture<UnaryResponse> fast =
            quick.request(uri, "GET", List.of(), null, true, Duration.ofSeconds(30));
        CompletableFuture<UnaryResponse> slow =
            patient.request(uri, "GET", List.of(), null, true, Duration.ofSeconds(30));
        try {
          fast.get(20, TimeUnit.SECONDS);
          throw new AssertionError("connected to a listener whose queue is full");
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(TransportException.class);
          assertThat(((TransportException) e.getCause()).kind())
              .isEqualTo(TransportException.Kind.CONNECT);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        // with the longer timeout the same connect is still waiting
        try {
          slow.get(1, TimeUnit.SECONDS);
          throw new AssertionError("expected the 30 s connect to be still pending");
        } catch (TimeoutException stillConnecting) {
          // expected
        }
      }
    } finally {
      for (Socket s : filling) {
        s.close();
      }
    }
  }
}
