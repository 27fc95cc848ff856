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
    String out =
        client
            .call(
                Request.of(
                    Target.service("Echo", "echo"),
                    TypeTag.of(String.class),
                    TypeTag.of(String.class),
                    "typed"))
            .response();
    assertThat(out).isEqualTo("TYPED");
    String key = UUID.randomUUID().toString();
    Integer sum =
        client
            .call(
                Request.of(
                    Target.virtualObject("Counter", key, "add"),
                    TypeTag.of(Integer.class),
                    TypeTag.of(Integer.class),
                    7))
            .response();
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
  void endpointsAreInjectedInEveryForm(
      @ResoluteIngressEndpointURL URI ingress,
      @ResoluteIngressEndpointURL URL ingressUrl,
      @ResoluteAdminEndpointURL String admin,
      @ResoluteClient IngressClient client) {
    assertThat(ingress.getHost()).isEqualTo("127.0.0.1");
    assertThat(ingressUrl.toString()).isEqualTo(ingress.toString());
    assertThat(client.baseUri()).isEqualTo(ingress);
    assertThat(admin).startsWith("http://127.0.0.1:").isNotEqualTo(ingress.toString());
    HttpResponse<String> services = new IngressClient(URI.create(admin)).get("/services");
    assertThat(services.statusCode()).isEqualTo(200);
    assertThat(services.body()).contains("\"Echo\"", "\"Counter\"");
    // the admin API advertises the ingress it really listens on (the kit binds port 0)
    HttpResponse<String> version = new IngressClient(URI.create(admin)).get("/version");
    assertThat(version.body())
        .contains("\"ingress_endpoint\":\"http://127.0.0.1:" + ingress.getPort());
  }

  @Test
  void setUpIsFast(ResoluteRunner runner) {
    // The class's own set-up ran in a cold JVM (class loading, JIT) and is printed by the
    // extension;
    // a second set-up in this now-warm JVM shows what the kit itself costs. The bound is generous
    // for a
    // loaded 2-core machine; it catches fixed delays and polling loops, not jitter.
    ResoluteTest config = getClass().getAnnotation(ResoluteTest.class);
    try (ResoluteRunner again =
        ResoluteRunner.builder()
            .server(config.server())
            .useHttp11(config.useHttp11())
            .bind(new KitServices.Echo())
            .start()) {
      System.out.println(
          "[resolute-testing] "
              + getClass().getSimpleName()
              + ": warm set-up "
              + again.setupTimes()
              + " (class set-up: "
              + runner.setupTimes()
              + ")");
      assertThat(again.setupTimes().total()).isLessThan(Duration.ofSeconds(5));
      assertThat(again.ingressClient().post("/Echo/echo", "\"warm\"").body()).isEqualTo("\"WARM\"");
    }
  }
}
