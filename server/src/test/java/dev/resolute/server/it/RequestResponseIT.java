package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same official-SDK deployment registered with {@code use_http_11}: every attempt is one
 * HTTP/1.1 request/response exchange, the SDK suspends whenever it needs a completion, and the
 * server chains attempts (Start + replay each time).
 */
@Timeout(180)
class RequestResponseIT extends DurableServicesIT {
  @BeforeAll
  static void start() throws Exception {
    startAndRegister(",\"use_http_11\":true");
    assertThat(get(admin, "/deployments").body()).contains("RequestResponse");
  }

  @AfterAll
  static void stop() throws Exception {
    DurableServicesIT.stop();
  }

  @Test
  void requestResponseChainsAttemptsThroughSuspensions() throws Exception {
    HttpResponse<String> r = post(ingress, "/Greeter/threeSteps", "\"x\"");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"123\"");
  }
}
