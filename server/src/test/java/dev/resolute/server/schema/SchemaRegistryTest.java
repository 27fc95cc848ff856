package dev.resolute.server.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.protocol.manifest.EndpointManifest;
import dev.resolute.server.discovery.DiscoveredEndpoint;
import dev.resolute.server.discovery.DiscoveryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaRegistryTest {
  static DiscoveredEndpoint ep(String uri, String manifest) throws SchemaException {
    return new DiscoveredEndpoint(uri, false, DiscoveryClient.parse(manifest), "test-sdk/1", 4);
  }

  static String svc(String name, String ty, String handlers) {
    return "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,\"maxProtocolVersion\":6,\"services\":[{\"name\":\""
        + name
        + "\",\"ty\":\""
        + ty
        + "\",\"handlers\":["
        + handlers
        + "]}]}";
  }

  @Test
  void newDeploymentThenRevisionBump() throws Exception {
    SchemaRegistry r = SchemaRegistry.inMemory();
    var a =
        r.register(
            ep("http://a/", svc("Greeter", "SERVICE", "{\"name\":\"greet\",\"ty\":\"SHARED\"}")),
            Map.of(),
            Map.of(),
            false,
            false,
            false);
    assertThat(a.created()).isTrue();
    assertThat(a.deployment().id()).startsWith("dp_1").hasSize(26);
    assertThat(r.service("Greeter").orElseThrow().revision()).isEqualTo(1);
    var b =
        r.register(
            ep("http://b/", svc("Greeter", "SERVICE", "{\"name\":\"greet\"}")),
            Map.of(),
            Map.of(),
            false,
            false,
            false);
    assertThat(b.created()).isTrue();
    ServiceSchema s = r.service("Greeter").orElseThrow();
    assertThat(s.revision()).isEqualTo(2);
    assertThat(s.deploymentId()).isEqualTo(b.deployment().id());
    assertThat(r.deployments()).hasSize(2);
  }

  @Test
  void sameUriIsNoOpUnlessForce() throws Exception {
    SchemaRegistry r = SchemaRegistry.inMemory();
    var a =
        r.register(
            ep("http://a/", svc("S", "SERVICE", "{\"name\":\"h\"}")),
            Map.of(),
            Map.of(),
            false,
            false,
            false);
    var again =
        r.register(
            ep("http://a/", svc("S", "SERVICE", "{\"name\":\"h\"},{\"name\":\"h2\"}")),
            Map.of(),
            Map.of(),
            false,
            false,
            false);
    assertThat(again.created()).isFalse();
    assertThat(r.service("S").orElseThrow().handlers()).containsOnlyKeys("h");
    var forced =
        r.register(
            ep("http://a/", svc("S", "SERVICE", "{\"name\":\"h\"},{\"name\":\"h2\"}")),
            Map.of(),
            Map.of(),
            true,
            false,
            false);
    assertThat(forced.created()).isFalse();
    assertThat(forced.deployment().id()).isEqualTo(a.deployment().id());
    assertThat(r.service("S").orElseThrow().handlers()).containsOnlyKeys("h", "h2");
    assertThat(r.service("S").orElseThrow().revision())
        .isEqualTo(2); // as restate-server 1.7.12 does
    assertThat(r.deployments()).hasSize(1);
  }

  @Test
  void typeChangeConflictsUnlessForceOrBreaking() throws Exception {
    SchemaRegistry r = SchemaRegistry.inMemory();
    r.register(
        ep("http://a/", svc("S", "SERVICE", "{\"name\":\"h\"}")),
        Map.of(),
        Map.of(),
        false,
        false,
        false);
    assertThatThrownBy(
            () ->
                r.register(
                    ep("http://b/", svc("S", "VIRTUAL_OBJECT", "{\"name\":\"h\"}")),
                    Map.of(),
                    Map.of(),
                    false,
                    false,
                    false))
        .isInstanceOfSatisfying(
            SchemaException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.restateCode()).isEqualTo("META0006");
            });
    var dry =
        r.register(
            ep("http://b/", svc("S", "VIRTUAL_OBJECT", "{\"name\":\"h\"}")),
            Map.of(),
            Map.of(),
            false,
            true,
            true);
    assertThat(dry.services().get(0).type()).isEqualTo(ServiceType.VIRTUAL_OBJECT);
    assertThat(r.service("S").orElseThrow().type())
        .isEqualTo(ServiceType.SERVICE); // dry run stored nothing
    r.register(
        ep("http://b/", svc("S", "VIRTUAL_OBJECT", "{\"name\":\"h\"}")),
        Map.of(),
        Map.of(),
        true,
        false,
        false);
    assertThat(r.service("S").orElseThrow().type()).isEqualTo(ServiceType.VIRTUAL_OBJECT);
  }

  @Test
  void handlerRemovalIsAcceptedLikeTheRealServer() throws Exception {
    // restate-server 1.7.12 accepted a new revision without a previous handler (201, revision+1)
    SchemaRegistry r = SchemaRegistry.inMemory();
    r.register(
        ep("http://a/", svc("S", "SERVICE", "{\"name\":\"h\"},{\"name\":\"g\"}")),
        Map.of(),
        Map.of(),
        false,
        false,
        false);
    r.register(
        ep("http://b/", svc("S", "SERVICE", "{\"name\":\"h\"}")),
        Map.of(),
        Map.of(),
        false,
        false,
        false);
    assertThat(r.service("S").orElseThrow().handlers()).containsOnlyKeys("h");
  }

  @Test
  void invalidHandlerTypesAndReservedNames() throws Exception {
    SchemaRegistry r = SchemaRegistry.inMemory();
    assertThatThrownBy(
            () ->
                r.register(
                    ep("http://a/", svc("S", "SERVICE", "{\"name\":\"h\",\"ty\":\"EXCLUSIVE\"}")),
                    Map.of(),
                    Map.of(),
                    false,
                    false,
                    false))
        .hasMessage(
            "invalid combination of service type and handler type '(Service, Some(Exclusive))'");
    assertThatThrownBy(
            () ->
                r.register(
                    ep(
                        "http://a/",
                        svc("O", "VIRTUAL_OBJECT", "{\"name\":\"h\",\"ty\":\"WORKFLOW\"}")),
                    Map.of(),
                    Map.of(),
                    false,
                    false,
                    false))
        .hasMessage(
            "invalid combination of service type and handler type '(VirtualObject, Some(Workflow))'");
    assertThatThrownBy(
            () ->
                r.register(
                    ep("http://a/", svc("restateX", "SERVICE", "{\"name\":\"h\"}")),
                    Map.of(),
                    Map.of(),
                    false,
                    false,
                    false))
        .isInstanceOfSatisfying(
            SchemaException.class, e -> assertThat(e.restateCode()).isEqualTo("META0005"));
    assertThatThrownBy(
            () ->
                r.register(
                    ep(
                        "http://a/",
                        svc(
                            "W",
                            "WORKFLOW",
                            "{\"name\":\"run\",\"ty\":\"WORKFLOW\",\"idempotencyRetention\":1000}")),
                    Map.of(),
                    Map.of(),
                    false,
                    false,
                    false))
        .hasMessage("run sets the idempotency_retention, but it's a WORKFLOW handler");
    assertThat(r.deployments()).isEmpty();
  }

  @Test
  void effectiveOptions() throws Exception {
    SchemaRegistry r = SchemaRegistry.inMemory();
    r.register(
        ep(
            "http://a/",
            "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,\"maxProtocolVersion\":6,"
                + "\"services\":[{\"name\":\"S\",\"ty\":\"VIRTUAL_OBJECT\",\"abortTimeout\":60000,\"retryPolicyMaxAttempts\":5,"
                + "\"handlers\":[{\"name\":\"a\",\"inactivityTimeout\":2000},{\"name\":\"b\",\"ty\":\"SHARED\",\"input\":{}}]},"
                + "{\"name\":\"W\",\"ty\":\"WORKFLOW\",\"handlers\":[{\"name\":\"run\",\"ty\":\"WORKFLOW\","
                + "\"workflowCompletionRetention\":600000},{\"name\":\"q\"}]}]}"),
        Map.of(),
        Map.of(),
        false,
        false,
        false);
    ServiceSchema s = r.service("S").orElseThrow();
    assertThat(s.inactivityTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.abortTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.idempotencyRetention()).isEqualTo(Duration.ofDays(1));
    assertThat(s.retryPolicy().maxAttempts()).isEqualTo(5);
    assertThat(s.retryPolicy().initialInterval()).isEqualTo(Duration.ofMillis(500));
    HandlerSchema a = s.handler("a");
    assertThat(a.type()).isEqualTo(HandlerType.EXCLUSIVE);
    assertThat(a.inactivityTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(a.abortTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(a.inputContentType()).isEqualTo("*/*");
    assertThat(a.outputContentType()).isEqualTo("application/json");
    HandlerSchema b = s.handler("b");
    assertThat(b.type()).isEqualTo(HandlerType.SHARED);
    assertThat(b.inputContentType()).isNull();
    ServiceSchema w = r.service("W").orElseThrow();
    assertThat(w.workflowCompletionRetention()).isEqualTo(Duration.ofMinutes(10));
    assertThat(w.handler("q").type()).isEqualTo(HandlerType.SHARED);
    assertThat(w.handler("run").type()).isEqualTo(HandlerType.WORKFLOW);
  }

  /**
   * Each configured default reaches every service and handler that sets none of its own, and only
   * those.
   */
  @Test
  void configuredDefaultsReachEveryHandlerWithoutItsOwnSetting(@TempDir Path dir) throws Exception {
    RetryPolicy killAfterOne =
        new RetryPolicy(
            Duration.ofMillis(1), 2.0, 1, Duration.ofMinutes(1), RetryPolicy.OnMaxAttempts.KILL);
    SchemaRegistry.Defaults d =
        new SchemaRegistry.Defaults(
            Duration.ofHours(3),
            Duration.ofHours(2),
            Duration.ofHours(4),
            Duration.ZERO,
            Duration.ofSeconds(6),
            killAfterOne);
    String manifest =
        "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,\"maxProtocolVersion\":6,"
            + "\"services\":[{\"name\":\"S\",\"ty\":\"VIRTUAL_OBJECT\",\"handlers\":[{\"name\":\"plain\"},"
            + "{\"name\":\"own\",\"inactivityTimeout\":2000,\"abortTimeout\":3000,\"journalRetention\":4000,"
            + "\"idempotencyRetention\":5000,\"retryPolicyMaxAttempts\":9}]},"
            + "{\"name\":\"W\",\"ty\":\"WORKFLOW\",\"handlers\":[{\"name\":\"run\",\"ty\":\"WORKFLOW\"}]}]}";
    SchemaRegistry r = SchemaRegistry.open(dir, d, java.time.Clock.systemUTC());
    r.register(ep("http://a/", manifest), Map.of(), Map.of(), false, false, false);
    HandlerSchema plain = r.service("S").orElseThrow().handler("plain");
    assertThat(plain.retryPolicy()).isEqualTo(killAfterOne);
    assertThat(plain.inactivityTimeout()).isZero();
    assertThat(plain.abortTimeout()).isEqualTo(Duration.ofSeconds(6));
    assertThat(plain.journalRetention()).isEqualTo(Duration.ofHours(2));
    assertThat(plain.idempotencyRetention()).isEqualTo(Duration.ofHours(3));
    assertThat(r.service("W").orElseThrow().workflowCompletionRetention())
        .isEqualTo(Duration.ofHours(4));
    assertThat(r.service("W").orElseThrow().handler("run").retryPolicy()).isEqualTo(killAfterOne);
    HandlerSchema own = r.service("S").orElseThrow().handler("own");
    assertThat(own.inactivityTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(own.abortTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(own.journalRetention()).isEqualTo(Duration.ofSeconds(4));
    assertThat(own.idempotencyRetention()).isEqualTo(Duration.ofSeconds(5));
    assertThat(own.retryPolicy().maxAttempts()).isEqualTo(9);
    assertThat(own.retryPolicy().onMaxAttempts())
        .isEqualTo(RetryPolicy.OnMaxAttempts.KILL); // the rest: defaults
    // the defaults are resolved when the registry is read, not frozen at registration: a restart
    // with another configuration changes every handler that has no setting of its own
    HandlerSchema reopened =
        SchemaRegistry.open(dir, SchemaRegistry.Defaults.RESTATE, java.time.Clock.systemUTC())
            .service("S")
            .orElseThrow()
            .handler("plain");
    assertThat(reopened.retryPolicy()).isEqualTo(RetryPolicy.DEFAULT);
    assertThat(reopened.inactivityTimeout()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void persistsAndReloads(@TempDir Path dir) throws Exception {
    SchemaRegistry r = SchemaRegistry.open(dir);
    int[] notified = {0};
    r.addListener(s -> notified[0]++);
    var a =
        r.register(
            ep("http://a/", svc("S", "SERVICE", "{\"name\":\"h\"}")),
            Map.of("X-Key", "v"),
            Map.of("m", "1"),
            false,
            false,
            false);
    r.register(
        ep("http://b/", svc("T", "SERVICE", "{\"name\":\"h\"}")),
        Map.of(),
        Map.of(),
        false,
        false,
        false);
    assertThat(notified[0]).isEqualTo(2);
    assertThat(Files.exists(dir.resolve("schema-registry.json"))).isTrue();
    assertThat(Files.exists(dir.resolve("schema-registry.json.tmp"))).isFalse();
    SchemaRegistry re = SchemaRegistry.open(dir);
    assertThat(re.deployments()).hasSize(2);
    DeploymentSchema d = re.deployment(a.deployment().id()).orElseThrow();
    assertThat(d.additionalHeaders()).containsEntry("x-key", "v");
    assertThat(d.metadata()).containsEntry("m", "1");
    assertThat(d.protocolMode()).isEqualTo(EndpointManifest.ProtocolMode.BIDI_STREAM);
    assertThat(re.service("S").orElseThrow().deploymentId()).isEqualTo(a.deployment().id());
    re.removeDeployment(a.deployment().id());
    assertThat(SchemaRegistry.open(dir).service("S")).isEmpty();
    assertThat(SchemaRegistry.open(dir).service("T")).isPresent();
  }

  @Test
  void removeFallsBackToOlderRevision() throws Exception {
    SchemaRegistry r = SchemaRegistry.inMemory();
    var a =
        r.register(
            ep("http://a/", svc("S", "SERVICE", "{\"name\":\"h\"}")),
            Map.of(),
            Map.of(),
            false,
            false,
            false);
    var b =
        r.register(
            ep("http://b/", svc("S", "SERVICE", "{\"name\":\"h\"}")),
            Map.of(),
            Map.of(),
            false,
            false,
            false);
    r.removeDeployment(b.deployment().id());
    assertThat(r.service("S").orElseThrow().revision()).isEqualTo(1);
    assertThat(r.service("S").orElseThrow().deploymentId()).isEqualTo(a.deployment().id());
    assertThatThrownBy(() -> r.removeDeployment(b.deployment().id()))
        .isInstanceOfSatisfying(SchemaException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void humantime() {
    assertThat(Humantime.format(Duration.ofDays(1))).isEqualTo("1d");
    assertThat(Humantime.format(Duration.ofMillis(3723000))).isEqualTo("1h 2m 3s");
    assertThat(Humantime.format(Duration.ofMillis(1500))).isEqualTo("1s 500ms");
    assertThat(Humantime.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Humantime.format(Duration.ofDays(2))).isEqualTo("2d");
  }
}
