package dev.resolute.sdk.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.protocol.manifest.EndpointManifest;
import dev.resolute.sdk.Context;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.RateLimit;
import dev.resolute.sdk.annotation.Schedule;
import dev.resolute.sdk.annotation.Service;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.endpoint.definition.ScheduleDefinition;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.sdk.internal.endpoint.ManifestBuilder;
import org.junit.jupiter.api.Test;

/**
 * Resolute's manifest extensions declared by the SDK: {@code @Schedule}/{@code @RateLimit} and
 * their builder forms become the metadata entries {@code x-resolute-schedules} / {@code
 * x-resolute-rate-limit} (JSON text) in every manifest version with metadata (V2+), beside the
 * user's own entries, and a service declaring neither serves the manifest it served before.
 */
class DeclaredExtensionsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Service
  @RateLimit(perSecond = 2.5, burst = 4)
  public static class Reports {
    @Handler
    @Schedule(cron = "0 0 9 * * MON-FRI", timeZone = "Europe/Paris", body = "\"daily\"")
    @Schedule(cron = "*/5 * * * *", name = "often", catchUp = ScheduleDefinition.CatchUp.LAST)
    public String report(Context ctx, String kind) {
      return kind;
    }

    @Handler
    @RateLimit(perSecond = 1)
    public void slow(Context ctx) {}

    @Handler
    public void plain(Context ctx) {}
  }

  @Service
  public static class Plain {
    @Handler
    public void h(Context ctx) {}
  }

  @Test
  void annotationsBecomeMetadataEntriesInEveryManifestVersionWithMetadata() throws Exception {
    JsonNode v1 = service(Endpoint.bind(new Reports()).build(), 1, "Reports");
    assertThat(v1.has("metadata")).isFalse();
    assertThat(handler(v1, "report").has("metadata")).isFalse();
    for (int v = 2; v <= 4; v++) {
      JsonNode s = service(Endpoint.bind(new Reports()).build(), v, "Reports");
      assertThat(ext(s, "x-resolute-rate-limit"))
          .isEqualTo("{\"rate_per_second\":2.5,\"burst\":4}");
      JsonNode report = handler(s, "report");
      assertThat(ext(report, "x-resolute-schedules"))
          .isEqualTo(
              "[{\"name\":\"0\",\"cron\":\"0 0 9 * * MON-FRI\",\"timezone\":\"Europe/Paris\","
                  + "\"body\":\"\\\"daily\\\"\",\"catch_up\":\"none\"},"
                  + "{\"name\":\"often\",\"cron\":\"*/5 * * * *\",\"catch_up\":\"last\"}]");
      assertThat(ext(handler(s, "slow"), "x-resolute-rate-limit"))
          .isEqualTo("{\"rate_per_second\":1.0}");
      assertThat(handler(s, "plain").get("metadata").size()).isZero();
    }
  }

  @Test
  void builderFormsDeclareTheSame() throws Exception {
    ServiceDefinition def =
        ServiceDefinition.virtualObject("Counter")
            .handler("tick", Void.class, Void.class, (ctx, v) -> null)
            .build();
    Endpoint e =
        Endpoint.bind(
                def,
                c ->
                    c.rateLimit(10)
                        .addMetadata("team", "ops")
                        .configureHandler(
                            "tick",
                            h ->
                                h.rateLimit(3, 6)
                                    .schedule(
                                        ScheduleDefinition.cron("* * * * *")
                                            .key("k1")
                                            .catchUp(ScheduleDefinition.CatchUp.ALL))))
            .build();
    JsonNode s = service(e, 4, "Counter");
    assertThat(ext(s, "x-resolute-rate-limit")).isEqualTo("{\"rate_per_second\":10.0}");
    assertThat(ext(s, "team")).isEqualTo("ops"); // the user's own entries stay
    JsonNode tick = handler(s, "tick");
    assertThat(ext(tick, "x-resolute-rate-limit"))
        .isEqualTo("{\"rate_per_second\":3.0,\"burst\":6}");
    assertThat(ext(tick, "x-resolute-schedules"))
        .isEqualTo("[{\"name\":\"0\",\"cron\":\"* * * * *\",\"key\":\"k1\",\"catch_up\":\"all\"}]");
  }

  @Test
  void withoutDeclarationsTheMetadataIsTheUsersOwn() throws Exception {
    JsonNode s = service(Endpoint.bind(new Plain()).build(), 4, "Plain");
    assertThat(s.get("metadata").size()).isZero();
    assertThat(handler(s, "h").get("metadata").size()).isZero();
  }

  @Test
  void badDeclarationsAreRefusedWhereTheyAreMade() {
    assertThatThrownBy(() -> ScheduleDefinition.cron(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScheduleDefinition.cron("* * * * *").name("a b"))
        .isInstanceOf(IllegalArgumentException.class);
    ServiceDefinition def =
        ServiceDefinition.service("S").handler("h", Void.class, Void.class, (c, v) -> null).build();
    assertThatThrownBy(() -> Endpoint.bind(def, c -> c.rateLimit(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("> 0");
    assertThatThrownBy(() -> Endpoint.bind(def, c -> c.rateLimit(1, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 1");
  }

  private static String ext(JsonNode node, String key) {
    return node.get("metadata").get(key).asText();
  }

  private static JsonNode service(Endpoint endpoint, int version, String name) throws Exception {
    JsonNode root =
        JSON.readTree(
            ManifestBuilder.toJson(
                ManifestBuilder.build(
                    endpoint, version, EndpointManifest.ProtocolMode.BIDI_STREAM)));
    for (JsonNode s : root.get("services")) {
      if (s.get("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no service " + name);
  }

  private static JsonNode handler(JsonNode service, String name) {
    for (JsonNode h : service.get("handlers")) {
      if (h.get("name").asText().equals(name)) {
        return h;
      }
    }
    throw new AssertionError("no handler " + name);
  }
}
