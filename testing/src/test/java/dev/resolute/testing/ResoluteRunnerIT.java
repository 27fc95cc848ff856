package dev.resolute.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ResoluteRunnerIT {

  @Test
  void closeStopsServerAndEndpoint() {
    URI ingress;
    URI endpoint;
    try (ResoluteRunner runner = ResoluteRunner.builder().bind(new KitServices.Echo()).start()) {
      System.out.println("[resolute-testing] ResoluteRunnerIT: set-up " + runner.setupTimes());
      ingress = runner.ingressUri();
      endpoint = runner.endpointUri();
      assertThat(runner.ingressClient().post("/Echo/echo", "\"x\"").body()).isEqualTo("\"X\"");
    }
    assertThatThrownBy(() -> new IngressClient(ingress).get("/restate/health"))
        .isInstanceOf(UncheckedIOException.class);
    assertThatThrownBy(() -> new IngressClient(endpoint).get("/health"))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void nothingBoundIsRejected() {
    assertThatThrownBy(() -> ResoluteRunner.builder().start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no services bound");
  }
}
