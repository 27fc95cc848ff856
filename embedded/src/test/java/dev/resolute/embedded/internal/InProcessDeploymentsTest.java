package dev.resolute.embedded.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.protocol.ProtocolVersion;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.server.transport.Exchange;
import dev.resolute.server.transport.ExchangeListener;
import dev.resolute.server.transport.TransportException;
import dev.resolute.server.transport.UnaryResponse;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InProcessDeploymentsTest {
  private final InProcessDeployments local =
      new InProcessDeployments(
          "app",
          Endpoint.bind(
                  ServiceDefinition.service("Echo")
                      .handler("echo", String.class, String.class, (ctx, in) -> in)
                      .build())
              .build(),
          1);

  @AfterEach
  void close() {
    local.close();
  }

  @Test
  void discoveryIsAnsweredAsOverHttp2() throws Exception {
    UnaryResponse r =
        local
            .request(
                URI.create("inprocess://app/discover"),
                "GET",
                List.of(Map.entry("accept", ProtocolVersion.DISCOVERY_ACCEPT)),
                null,
                Duration.ofSeconds(5),
                1 << 20)
            .get();
    assertThat(r.status()).isEqualTo(200);
    String body = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(body).contains("\"Echo\"").contains("BIDI_STREAM");
    assertThat(r.header("content-type")).startsWith("application/vnd.restate.endpointmanifest");
  }

  @Test
  void aResponseOverTheLimitIsRefused() {
    CompletableFuture<UnaryResponse> r =
        local.request(
            URI.create("inprocess://app/discover"),
            "GET",
            List.of(Map.entry("accept", ProtocolVersion.DISCOVERY_ACCEPT)),
            null,
            Duration.ofSeconds(5),
            10);
    assertThat(r)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(
            TransportException.class,
            e -> assertThat(e.kind()).isEqualTo(TransportException.Kind.TOO_LARGE));
  }

  @Test
  void anotherNameIsAConnectFailure() {
    Recorder rec = new Recorder();
    local.open(URI.create("inprocess://other/invoke/Echo/echo"), "POST", List.of(), false, rec);
    Throwable err = rec.awaitError();
    assertThat(err).isInstanceOf(TransportException.class);
    assertThat(((TransportException) err).kind()).isEqualTo(TransportException.Kind.CONNECT);
    assertThat(err.getMessage()).contains("inprocess://app/");
  }

  @Test
  void anUnknownHandlerIsA404WithItsBody() {
    Recorder rec = new Recorder();
    Exchange ex =
        local.open(
            URI.create("inprocess://app/invoke/Echo/nope"),
            "POST",
            List.of(Map.entry("content-type", ProtocolVersion.invocationContentType(5))),
            false,
            rec);
    ex.end();
    rec.awaitEnd();
    assertThat(rec.status).isEqualTo(404);
    assertThat(rec.body.toString(StandardCharsets.UTF_8)).contains("Echo/nope");
  }

  @Test
  void cancelEndsTheExchangeOnceWithAnError() {
    Recorder rec = new Recorder();
    Exchange ex =
        local.open(
            URI.create("inprocess://app/invoke/Echo/echo"),
            "POST",
            List.of(Map.entry("content-type", ProtocolVersion.invocationContentType(5))),
            false,
            rec);
    ex.cancel();
    ex.cancel();
    ex.write(new byte[] {1, 2, 3});
    Throwable err = rec.awaitError();
    assertThat(((TransportException) err).kind()).isEqualTo(TransportException.Kind.CANCELLED);
    assertThat(rec.terminalCalls()).isEqualTo(1);
  }

  /** Records the callbacks; asserts they come in order on one thread at a time. */
  private static final class Recorder implements ExchangeListener {
    final CompletableFuture<Void> end = new CompletableFuture<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final List<String> calls = new ArrayList<>();
    volatile int status;

    @Override
    public synchronized void onResponseHeaders(int status, List<Map.Entry<String, String>> h) {
      calls.add("headers");
      this.status = status;
    }

    @Override
    public synchronized void onData(byte[] chunk) {
      calls.add("data");
      body.writeBytes(chunk);
    }

    @Override
    public synchronized void onEnd() {
      calls.add("end");
      end.complete(null);
    }

    @Override
    public synchronized void onError(Throwable cause) {
      calls.add("error");
      end.completeExceptionally(cause);
    }

    void awaitEnd() {
      try {
        end.get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    Throwable awaitError() {
      try {
        end.get(5, TimeUnit.SECONDS);
        throw new AssertionError("ended without an error");
      } catch (ExecutionException e) {
        return e.getCause();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    long terminalCalls() {
      try {
        Thread.sleep(100); // a second terminal call would come right behind the first
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (this) {
        return calls.stream().filter(c -> c.equals("end") || c.equals("error")).count();
      }
    }
  }
}
