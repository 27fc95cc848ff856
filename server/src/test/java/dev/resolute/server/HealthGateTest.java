package dev.resolute.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Health checks answer 503 with the reason once the log stopped for writes; nothing else changes.
 */
class HealthGateTest {
  final AtomicReference<Throwable> failure = new AtomicReference<>();

  /** Answers 200 (with a CORS header) to everything, as the health checks do. */
  static CompletableFuture<HttpResponse> ok(HttpRequest r) {
    return CompletableFuture.completedFuture(
        HttpResponse.bytes(
                200, "application/json", "{\"services\":[]}".getBytes(StandardCharsets.UTF_8))
            .withHeader("vary", "origin"));
  }

  static HttpRequest get(String uri) {
    return new HttpRequest("GET", uri, List.of(), new byte[0]);
  }

  static String body(HttpResponse r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void ingressHealthIs503WithTheReasonWhileTheLogIsStopped() {
    HealthGate gate = new HealthGate(HealthGateTest::ok, HealthGate.Port.INGRESS, failure::get);
    assertThat(gate.handle(get("/restate/health")).join().status()).isEqualTo(200);
    failure.set(
        new IllegalStateException("the log stopped accepting writes (No space left on device)"));
    HttpResponse r = gate.handle(get("/restate/health")).join();
    assertThat(r.status()).isEqualTo(503);
    assertThat(body(r))
        .isEqualTo(
            "{\"code\":503,\"message\":\"the node cannot take writes: the log stopped accepting "
                + "writes (No space left on device)\",\"source\":\"ingress\"}");
    assertThat(r.headers())
        .contains(
            Map.entry("content-type", "application/json"),
            Map.entry("x-restate-error-source", "ingress"),
            Map.entry("vary", "origin"));
    // other requests are left to the handler
    assertThat(gate.handle(get("/Greeter/greet")).join().status()).isEqualTo(200);
    assertThat(
            gate.handle(new HttpRequest("POST", "/restate/health", List.of(), new byte[0]))
                .join()
                .status())
        .isEqualTo(200);
  }

  @Test
  void adminHealthIs503WithTheReasonWhileTheLogIsStopped() {
    HealthGate gate = new HealthGate(HealthGateTest::ok, HealthGate.Port.ADMIN, failure::get);
    assertThat(gate.handle(get("/health")).join().status()).isEqualTo(200);
    failure.set(new IllegalStateException("boom"));
    for (String path : List.of("/health", "/v1/health", "/v3/health")) {
      HttpResponse r = gate.handle(get(path)).join();
      assertThat(r.status()).as(path).isEqualTo(503);
      assertThat(body(r))
          .isEqualTo("{\"message\":\"the node cannot take writes: boom\",\"restate_code\":null}");
    }
    assertThat(gate.handle(get("/deployments")).join().status()).isEqualTo(200);
  }

  @Test
  void anAnswerOtherThan200IsLeftAlone() {
    failure.set(new IllegalStateException("boom"));
    HealthGate gate =
        new HealthGate(
            r -> CompletableFuture.completedFuture(HttpResponse.of(404)),
            HealthGate.Port.ADMIN,
            failure::get);
    assertThat(gate.handle(get("/health")).join().status()).isEqualTo(404);
  }
}
