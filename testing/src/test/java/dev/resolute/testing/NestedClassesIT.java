package dev.resolute.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@ResoluteTest
@Timeout(60)
class NestedClassesIT {
  @BindService KitServices.Echo echo = new KitServices.Echo();
  URI outerIngress;

  @Test
  void outer(@ResoluteIngressEndpointURL URI ingress) {
    outerIngress = ingress;
    assertThat(new IngressClient(ingress).post("/Echo/echo", "\"a\"").body()).isEqualTo("\"A\"");
  }

  @Nested
  class Inner {
    @Test
    void sharesTheEnclosingServer(
        @ResoluteIngressEndpointURL URI ingress, @ResoluteClient IngressClient client) {
      assertThat(client.baseUri()).isEqualTo(ingress);
      assertThat(client.post("/Echo/echo", "\"b\"").body()).isEqualTo("\"B\"");
      if (outerIngress != null) {
        assertThat(ingress).isEqualTo(outerIngress);
      }
    }
  }
}
