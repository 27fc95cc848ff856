package dev.resolute.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.client.Client;
import dev.resolute.common.Request;
import dev.resolute.common.Target;
import dev.resolute.serde.TypeTag;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the extension promises, checked once per server kind by the subclasses. */
@Timeout(60)
abstract class ResoluteExtensionITBase {
  @BindService KitServices.Echo echo = new KitServices.Echo();
  @BindService final Object counter = KitServices.counter();

  @Test
  void annotatedServiceIsServedAndRegistered(@ResoluteClient IngressClient ingress) {
    HttpResponse<String> r = ingress.post("/Echo/echo", "\"hi\"");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"HI\"");
  }

  @Test
  void injectedClientCallsTheBoundServices(@ResoluteClient Client client) {
    String out = client.call(Request.of(Target.service("Echo", "echo"), TypeTag.of(String.class),
        TypeTag.of(String.class), "typed")).response();
    assertThat(out).isEqualTo("TYPED");
    String key = UUID.randomUUID().toString();
    Integer sum = client.call(Request.of(Target.virtualObject("Counter", key, "add"), TypeTag.of(Integer.class),
        TypeTag.of(Integer.class), 7)).response();
    assertThat(sum).isEqualTo(7);
  }

  @Test
  void builderServiceKeepsStatePerKey(@ResoluteClient IngressClient ingress) {
    String key = UUID.randomUUID().toString();
    assertThat(ingress.post("/Counter/" + key + "/add", "2").body()).isEqualTo("2");
    assertThat(ingress.post("/Counter/" + key + "/add", "3").body()).isEqualTo("5");
    assertThat(ingress.post("/Counter/" + key + "/get", null).body()).isEqualTo("5");
    assertThat(ingress.post("/Counter/other-" + key + "/get", null).body()).isEqualTo("0");
  }

  @Test
  void endpointsAreInjectedInEveryForm(@ResoluteIngressEndpointURL URI ingress, @ResoluteIngressEndpointURL URL ingressUrl,
      @ResoluteAdminEndpointURL String admin, @ResoluteClient IngressClient client) {
    assertThat(ingress.getHost()).isEqualTo("127.0.0.1");
    assertThat(ingressUrl.toString()).isEqualTo(ingress.toString());
    assertThat(client.baseUri()).isEqualTo(ingress);
    assertThat(admin).startsWith("http://127.0.0.1:").isNotEqualTo(ingress.toString());
    HttpResponse<String> services = new IngressClient(URI.create(admin)).get("/services");
    assertThat(services.statusCode()).isEqualTo(200);
    assertThat(services.body()).contains("\"Echo\"", "\"Counter\"");
  }

  @Test
  void setUpIsFast(ResoluteRunner runner) {
    // the brief: "a few seconds"; generous bound for a loaded 2-core CI machine, the actual value is printed
    assertThat(runner.setupTimes().total()).isLessThan(Duration.ofSeconds(10));
    assertThat(runner.setupTimes().registration()).isLessThan(runner.setupTimes().total());
  }
}
