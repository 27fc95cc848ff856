package dev.resolute.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.api.Outcome;
import dev.resolute.server.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A failed invocation's body as restate-server 1.7.12 writes it (checked against it with the
 * TypeScript SDK, sdk-tests): the failure's own code, its metadata sorted by key.
 */
class IngressResponsesTest {
  static String body(HttpResponse r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void metadataIsInTheBodySortedByKey() {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("zz", "1");
    metadata.put("a", "2");
    HttpResponse r =
        IngressResponses.result(
            null, new Outcome.Failure(418, "teapot", null, new TreeMap<>(metadata)), null, 0);
    assertThat(r.status()).isEqualTo(418);
    assertThat(body(r))
        .isEqualTo(
            "{\"code\":418,\"message\":\"teapot\",\"metadata\":{\"a\":\"2\",\"zz\":\"1\"},"
                + "\"source\":\"invocation\"}");
  }

  @Test
  void noMetadataNoField() {
    HttpResponse r = IngressResponses.result(null, new Outcome.Failure(409, "no"), null, 0);
    assertThat(body(r)).isEqualTo("{\"code\":409,\"message\":\"no\",\"source\":\"invocation\"}");
  }

  @Test
  void codesOutsideTheStatusRangeKeepTheirCodeInTheBody() {
    for (int code : new int[] {0, 99, 1001}) {
      HttpResponse r = IngressResponses.result(null, new Outcome.Failure(code, "x"), null, 0);
      assertThat(r.status()).isEqualTo(500);
      assertThat(body(r))
          .isEqualTo("{\"code\":" + code + ",\"message\":\"x\",\"source\":\"invocation\"}");
    }
    // a uint32 code beyond Integer.MAX_VALUE stays unsigned
    HttpResponse r = IngressResponses.result(null, new Outcome.Failure(-1, "x"), null, 0);
    assertThat(body(r)).startsWith("{\"code\":4294967295,");
  }
}
