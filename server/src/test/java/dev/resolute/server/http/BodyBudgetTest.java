package dev.resolute.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bytes of request bodies a port holds at once stay within its budget; nobody is refused. */
@Timeout(60)
class BodyBudgetTest {

  @Test
  void grantsAllOrNothingFirstComeFirstServed() {
    BodyBudget b = new BodyBudget(100);
    List<String> granted = new ArrayList<>();
    assertThat(b.acquire(60, () -> granted.add("a"))).isNull();
    BodyBudget.Waiter big = b.acquire(50, () -> granted.add("big"));
    BodyBudget.Waiter small = b.acquire(10, () -> granted.add("small"));
    assertThat(big).isNotNull();
    assertThat(small).as("nobody overtakes a waiting request, even when it would fit").isNotNull();
    b.release(60);
    assertThat(granted).containsExactly("big", "small");
    assertThat(b.used()).isEqualTo(60);
    assertThat(b.cost(500)).as("a body above the budget reserves all of it").isEqualTo(100);
    BodyBudget.Waiter huge = b.acquire(500, () -> granted.add("huge"));
    huge.cancel();
    b.release(50);
    b.release(10);
    assertThat(b.used()).isZero();
    assertThat(b.waiting()).isZero();
    assertThat(granted).doesNotContain("huge");
  }

  @Test
  void concurrentBodiesBeyondTheBudgetWaitAndAreAllServed() throws Exception {
    EventLoopGroup group = new NioEventLoopGroup(2);
    int body = 400 * 1024;
    AtomicLong inHandler = new AtomicLong();
    AtomicLong maxInHandler = new AtomicLong();
    AtomicInteger served = new AtomicInteger();
    ConcurrentLinkedQueue<CompletableFuture<dev.resolute.server.http.HttpResponse>> pending =
        new ConcurrentLinkedQueue<>();
    HttpLimits limits =
        new HttpLimits(1024 * 1024, 1024 * 1024, Duration.ofSeconds(30), Duration.ofMinutes(5));
    HttpServer server =
        HttpServer.start(
            "test",
            new InetSocketAddress("127.0.0.1", 0),
            group,
            limits,
            req -> {
              long now = inHandler.addAndGet(req.body().length);
              maxInHandler.accumulateAndGet(now, Math::max);
              CompletableFuture<dev.resolute.server.http.HttpResponse> f =
                  new CompletableFuture<>();
              // answer a little later, as an invocation would: the body stays held meanwhile
              CompletableFuture.delayedExecutor(150, TimeUnit.MILLISECONDS)
                  .execute(
                      () -> {
                        inHandler.addAndGet(-req.body().length);
                        served.incrementAndGet();
                        f.complete(
                            dev.resolute.server.http.HttpResponse.bytes(
                                200,
                                "text/plain",
                                ("ok " + req.body().length).getBytes(StandardCharsets.UTF_8)));
                      });
              return f;
            });
    try {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<CompletableFuture<java.net.http.HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        calls.add(
            client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/x"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[body]))
                    .build(),
                BodyHandlers.ofString()));
      }
      for (var c : calls) {
        java.net.http.HttpResponse<String> r = c.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok " + body);
      }
      assertThat(served.get()).isEqualTo(12);
      assertThat(maxInHandler.get()).as("bodies held at once").isLessThanOrEqualTo(1024 * 1024);
      assertThat(maxInHandler.get())
          .as("the budget is used, not just one at a time")
          .isGreaterThan(body);
    } finally {
      server.close();
      group.shutdownGracefully().syncUninterruptibly();
    }
  }
}
