package dev.resolute.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link HttpHandler.CancelOnClose} answer is cancelled when its client closes the connection
 * first (how a SQL query learns that nobody waits for it); any other answer is left alone.
 */
@Timeout(30)
class HttpServerCancelOnCloseTest {

  @Test
  void aCancelOnCloseAnswerIsCancelledWhenTheClientLeavesAndOthersAreNot() throws Exception {
    LinkedBlockingQueue<CompletableFuture<HttpResponse>> pending = new LinkedBlockingQueue<>();
    EventLoopGroup group = new NioEventLoopGroup(1);
    HttpServer server =
        HttpServer.start(
            "test",
            new InetSocketAddress("127.0.0.1", 0),
            group,
            1024 * 1024,
            req -> {
              CompletableFuture<HttpResponse> f =
                  req.uri().equals("/cancellable")
                      ? new HttpHandler.CancelOnClose()
                      : new CompletableFuture<>();
              pending.add(f);
              return f;
            });
    try {
      for (String path : new String[] {"/cancellable", "/plain"}) {
        Socket s = new Socket("127.0.0.1", server.port());
        CompletableFuture<HttpResponse> f;
        try {
          OutputStream out = s.getOutputStream();
          out.write(
              ("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          f = pending.poll(10, TimeUnit.SECONDS);
          assertThat(f).isNotNull();
        } finally {
          s.close(); // the client leaves before any answer
        }
        if (path.equals("/cancellable")) {
          long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          while (!f.isCancelled() && System.nanoTime() < deadline) {
            Thread.sleep(10);
          }
          assertThat(f.isCancelled()).isTrue();
        } else {
          Thread.sleep(300); // a window in which nothing may cancel it
          assertThat(f.isDone()).isFalse();
          f.complete(HttpResponse.text(200, "late")); // written to a closed channel: harmless
        }
      }
    } finally {
      server.close();
      group.shutdownGracefully().syncUninterruptibly();
    }
  }
}
