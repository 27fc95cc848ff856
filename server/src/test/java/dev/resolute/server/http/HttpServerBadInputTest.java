package dev.resolute.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Malformed bytes on the port get a 400 or a closed connection; the server keeps serving. */
@Timeout(30)
class HttpServerBadInputTest {
  static EventLoopGroup group;
  static HttpServer server;

  @BeforeAll
  static void start() {
    group = new NioEventLoopGroup(1);
    server =
        HttpServer.start(
            "test",
            new InetSocketAddress("127.0.0.1", 0),
            group,
            1024 * 1024,
            req ->
                CompletableFuture.completedFuture(
                    HttpResponse.bytes(
                        200,
                        "text/plain",
                        ("ok " + req.body().length).getBytes(StandardCharsets.UTF_8))));
  }

  @AfterAll
  static void stop() {
    server.close();
    group.shutdownGracefully().syncUninterruptibly();
  }

  /** Sends raw bytes and returns what comes back until the server closes (or 3 s pass). */
  static String exchange(byte[] request) throws IOException {
    return RawHttp.exchange(server.port(), request, 3000);
  }

  static String wellFormed() throws IOException {
    return exchange(
        "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"
            .getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void brokenChunkingIs400AndClosed() throws IOException {
    String r =
        exchange(
            ("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    assertThat(r).startsWith("HTTP/1.1 400 Bad Request").contains("bad request");
    assertThat(wellFormed()).startsWith("HTTP/1.1 200").endsWith("ok 3");
  }

  @Test
  void garbageAndBrokenHttp2PrefaceDoNotHurtTheServer() throws IOException {
    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      byte[] junk = new byte[1 + random.nextInt(6000)];
      random.nextBytes(junk);
      exchange(junk);
    }
    byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] broken = new byte[preface.length + 64];
    System.arraycopy(preface, 0, broken, 0, preface.length);
    random.nextBytes(java.util.Arrays.copyOfRange(broken, preface.length, broken.length));
    for (int i = preface.length; i < broken.length; i++) {
      broken[i] = (byte) random.nextInt();
    }
    exchange(broken);
    assertThat(wellFormed()).startsWith("HTTP/1.1 200").endsWith("ok 3");
  }
}
