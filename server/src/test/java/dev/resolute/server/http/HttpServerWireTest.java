package dev.resolute.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What restate-server 1.7.12 (hyper) puts on the wire around a response, checked byte for byte: a
 * {@code date} header, hyper's reason phrases ({@code <none>} where it has none), an {@code
 * Upgrade: h2c} request served over HTTP/1.1, an informational status replaced by an empty 500.
 */
@Timeout(30)
class HttpServerWireTest {
  static EventLoopGroup group;
  static HttpServer server;

  @BeforeAll
  static void start() {
    group = new NioEventLoopGroup(1);
    // the path names the status to answer: /470 answers 470
    server =
        HttpServer.start(
            "test",
            new InetSocketAddress("127.0.0.1", 0),
            group,
            1024 * 1024,
            req ->
                CompletableFuture.completedFuture(
                    new HttpResponse(
                        Integer.parseInt(req.uri().substring(1)),
                        List.of(java.util.Map.entry("x-test", "1")),
                        "body".getBytes(StandardCharsets.UTF_8))));
  }

  @AfterAll
  static void stop() {
    server.close();
    group.shutdownGracefully().syncUninterruptibly();
  }

  static String get(String path, String extraHeaders) throws IOException {
    return RawHttp.exchange(
        server.port(),
        ("GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n" + extraHeaders + "\r\n")
            .getBytes(StandardCharsets.US_ASCII),
        3000);
  }

  @Test
  void everyResponseCarriesADateHeader() throws IOException {
    String r = get("/200", "");
    String date =
        r.lines().filter(l -> l.startsWith("date: ")).findFirst().orElseThrow().substring(6);
    assertThat(date).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    ZonedDateTime parsed = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
    assertThat(parsed.toEpochSecond() * 1000)
        .isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis() + 1000);
  }

  @Test
  void reasonPhrasesAreHypers() throws IOException {
    assertThat(get("/418", "")).startsWith("HTTP/1.1 418 I'm a teapot\r\n");
    assertThat(get("/203", "")).startsWith("HTTP/1.1 203 Non Authoritative Information\r\n");
    assertThat(get("/470", "")).startsWith("HTTP/1.1 470 <none>\r\n");
    assertThat(get("/599", "")).startsWith("HTTP/1.1 599 <none>\r\n");
    assertThat(get("/500", "")).startsWith("HTTP/1.1 500 Internal Server Error\r\n");
  }

  @Test
  void anUpgradeToH2cIsNotTaken() throws IOException {
    String r =
        get(
            "/200",
            "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n");
    assertThat(r).startsWith("HTTP/1.1 200 OK\r\n").doesNotContainIgnoringCase("upgrade");
    assertThat(r).contains("x-test: 1").endsWith("body");
  }

  @Test
  void anInformationalStatusBecomesAnEmpty500() throws IOException {
    String r = get("/102", "");
    assertThat(r).startsWith("HTTP/1.1 500 Internal Server Error\r\n").doesNotContain("x-test");
    assertThat(r).contains("content-length: 0").endsWith("\r\n\r\n");
  }
}
