package dev.resolute.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.resolute.testsupport.RefusingPort;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Smoke test of the load generator and its HTTP client against a trivial local server. */
class LoadGenTest {
  @Test
  void keepsRequestsInFlightAndReportsLatencies() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger served = new AtomicInteger();
    server.createContext(
        "/",
        ex -> {
          byte[] in = ex.getRequestBody().readAllBytes();
          int n = served.incrementAndGet();
          byte[] out =
              (n % 2 == 0 ? new String(in, StandardCharsets.UTF_8) : "\"odd\"")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("content-type", "application/json");
          if (n % 3 == 0) {
            ex.sendResponseHeaders(200, 0); // chunked
          } else {
            ex.sendResponseHeaders(200, out.length);
          }
          ex.getResponseBody().write(out);
          ex.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    try {
      AtomicInteger acked = new AtomicInteger();
      LoadGen.Source source =
          new LoadGen.Source() {
            @Override
            public LoadGen.Request next(int worker, long seq) {
              return LoadGen.Request.post("/Echo/echo", "\"hi\"", worker);
            }

            @Override
            public void onSuccess(LoadGen.Request r, HttpConn.Response response) {
              acked.incrementAndGet();
            }
          };
      LoadGen.Result r =
          LoadGen.run(
              "127.0.0.1",
              server.getAddress().getPort(),
              4,
              Duration.ofMillis(100),
              Duration.ofMillis(400),
              source);
      assertThat(r.errors()).isZero();
      assertThat(r.firstError()).isNull();
      assertThat(r.ok()).isPositive();
      assertThat(acked.get()).isGreaterThanOrEqualTo((int) r.ok());
      assertThat(r.percentileMillis(50)).isLessThanOrEqualTo(r.percentileMillis(99));
      assertThat(r.percentileMillis(99)).isLessThanOrEqualTo(r.maxMillis());
      assertThat(r.throughput()).isEqualTo(r.ok() / 0.4);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void countsErrorsWhenNothingListens() throws Exception {
    LoadGen.Result r;
    try (RefusingPort refusing = RefusingPort.open()) {
      r =
          LoadGen.run(
              "127.0.0.1",
              refusing.port(),
              2,
              Duration.ZERO,
              Duration.ofMillis(100),
              (w, seq) -> LoadGen.Request.post("/x", "1", 0));
    }
    assertThat(r.ok()).isZero();
    assertThat(r.errors()).isPositive();
    assertThat(r.firstError()).contains("/x");
  }
}
