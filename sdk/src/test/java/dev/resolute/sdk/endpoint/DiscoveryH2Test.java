package dev.resolute.sdk.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.sdk.http.ResoluteHttpServer;
import dev.resolute.sdk.it.ExampleServices;
import dev.resolute.sdk.protocol.H2Access;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Discovery over h2c advertises BIDI_STREAM (the same endpoint says REQUEST_RESPONSE over
 * HTTP/1.1).
 */
@Timeout(30)
class DiscoveryH2Test {
  @Test
  void bidiOverHttp2() throws Exception {
    try (ResoluteHttpServer server =
        ResoluteHttpServer.start(
            Endpoint.bind(new ExampleServices.Greeter()).build(), "127.0.0.1", 0)) {
      H2Access.Result r =
          H2Access.exchange(
              server.port(),
              "GET",
              "/discover",
              Map.of("accept", "application/vnd.restate.endpointmanifest.v4+json"));
      assertThat(r.status()).isEqualTo(200);
      assertThat(new String(r.body(), StandardCharsets.UTF_8))
          .contains("\"protocolMode\":\"BIDI_STREAM\"");
      assertThat(r.headers().get("x-restate-server")).startsWith("resolute-sdk-java/");
      assertThat(H2Access.exchange(server.port(), "GET", "/health", Map.of()).status())
          .isEqualTo(200);
    }
  }
}
