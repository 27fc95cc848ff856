package dev.resolute.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Request-line, header and time limits of an HTTP port: at least what restate-server 1.7.12 accepts
 * (its bounds measured with raw requests), its statuses beyond them, and connections that send half
 * a header or nothing at all are closed — but never one with a request in flight.
 */
@Timeout(60)
class HttpLimitsTest {
  static EventLoopGroup group;
  static HttpServer server;

  @BeforeAll
  static void start() {
    group = new NioEventLoopGroup(1);
    HttpLimits limits =
        new HttpLimits(
            1024 * 1024, 4L * 1024 * 1024, Duration.ofMillis(400), Duration.ofMillis(600));
    server =
        HttpServer.start(
            "test",
            new InetSocketAddress("127.0.0.1", 0),
            group,
            limits,
            req -> {
              if (req.uri().startsWith("/slow")) {
                // answers after both timeouts have passed: a request in flight must not be cut off
                return CompletableFuture.supplyAsync(
                    () ->
                        HttpResponse.bytes(
                            200, "text/plain", "slow".getBytes(StandardCharsets.UTF_8)),
                    CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS));
              }
              return CompletableFuture.completedFuture(
                  HttpResponse.bytes(
                      200,
                      "text/plain",
                      ("ok " + req.uri().length()).getBytes(StandardCharsets.UTF_8)));
            });
  }

  @AfterAll
  static void stop() {
    server.close();
    group.shutdownGracefully().syncUninterruptibly();
  }

  static String exchange(byte[] request) throws IOException {
    return RawHttp.exchange(server.port(), request, 5000);
  }

  static String readAll(Socket s) throws IOException {
    return RawHttp.readAll(s);
  }

  static String request(String uri, String extraHeaders) throws IOException {
    return exchange(
        ("GET " + uri + " HTTP/1.1\r\nHost: a\r\n" + extraHeaders + "Connection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void uriUpToRestatesBoundIsServedLongerIs414AndClosed() throws IOException {
    String longest = "/" + "a".repeat(HttpLimits.MAX_URI_LENGTH - 1);
    assertThat(request(longest, ""))
        .startsWith("HTTP/1.1 200")
        .endsWith("ok " + HttpLimits.MAX_URI_LENGTH);
    assertThat(request(longest + "a", ""))
        .startsWith("HTTP/1.1 414 Request-URI Too Long")
        .contains("content-length: 0");
    assertThat(request("/" + "a".repeat(200_000), "")).startsWith("HTTP/1.1 414");
  }

  @Test
  void headerFieldsUpToRestatesBoundAreServedMoreAre431() throws IOException {
    // Host and Connection are two of the fields
    StringBuilder h = new StringBuilder();
    for (int i = 0; i < HttpLimits.MAX_HEADER_FIELDS - 2; i++) {
      h.append("x-h").append(i).append(": v\r\n");
    }
    assertThat(request("/x", h.toString())).startsWith("HTTP/1.1 200");
    assertThat(request("/x", h + "x-one-more: v\r\n"))
        .startsWith("HTTP/1.1 431 Request Header Fields Too Large");
  }

  @Test
  void headerBytesAsLargeAsRestateAcceptsAreServedLargerAre431() throws IOException {
    assertThat(request("/x", "x-big: " + "a".repeat(452_517) + "\r\n")).startsWith("HTTP/1.1 200");
    assertThat(request("/x", "x-big: " + "a".repeat(HttpLimits.MAX_HEADER_BYTES + 1) + "\r\n"))
        .startsWith("HTTP/1.1 431");
    assertThat(request("/x", "")).startsWith("HTTP/1.1 200");
  }

  @Test
  void halfAHeaderIsClosedAfterTheHeaderReadTimeout() throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream()
          .write("GET /x HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.US_ASCII));
      long t0 = System.nanoTime();
      assertThat(readAll(s)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    }
  }

  @Test
  void anIdleConnectionIsClosedAfterTheIdleTimeoutAlsoAfterAKeepAliveRequest() throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(5000);
      long t0 = System.nanoTime();
      assertThat(readAll(s)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    }
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream()
          .write("GET /x HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readAll(s)).startsWith("HTTP/1.1 200").endsWith("ok 2");
    }
  }

  @Test
  void aRequestInFlightOutlivesBothTimeouts() throws IOException {
    assertThat(request("/slow", "")).startsWith("HTTP/1.1 200").endsWith("slow");
  }
}
