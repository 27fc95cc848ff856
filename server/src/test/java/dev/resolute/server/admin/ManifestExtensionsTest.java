package dev.resolute.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.protocol.manifest.EndpointManifest;
import dev.resolute.server.discovery.DiscoveryClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resolute's extension entries read from the metadata of a manifest. */
class ManifestExtensionsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A manifest whose service and handler carry {@code serviceMeta} / {@code handlerMeta}. */
  static EndpointManifest manifest(Map<String, String> serviceMeta, Map<String, String> handlerMeta)
      throws Exception {
    return DiscoveryClient.parse(
        "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,\"maxProtocolVersion\":6,"
            + "\"services\":[{\"name\":\"Reports\",\"ty\":\"SERVICE\",\"metadata\":"
            + JSON.writeValueAsString(serviceMeta)
            + ",\"handlers\":[{\"name\":\"daily\",\"metadata\":"
            + JSON.writeValueAsString(handlerMeta)
            + "}]}]}");
  }

  static Map<String, String> meta(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void aManifestWithoutExtensionsDeclaresNothing() throws Exception {
    assertThat(ManifestExtensions.of(manifest(meta("team", "ops"), meta())))
        .isEqualTo(ManifestExtensions.NONE);
  }

  @Test
  void ratesAndSchedulesAreRead() throws Exception {
    ManifestExtensions e =
        ManifestExtensions.of(
            manifest(
                meta("x-resolute-rate-limit", "{\"rate_per_second\":2.5,\"burst\":4}"),
                meta(
                    "x-resolute-rate-limit",
                    "{\"rate_per_second\":1}",
                    "x-resolute-schedules",
                    "[{\"name\":\"0\",\"cron\":\"0 9 * * *\",\"timezone\":\"Europe/Paris\","
                        + "\"body\":\"\\\"x\\\"\",\"catch_up\":\"last\"},"
                        + "{\"cron\":\"* * * * * *\"}]")));
    assertThat(e.rates())
        .containsExactly(
            new ManifestExtensions.Rate("Reports", null, 2.5, 4),
            new ManifestExtensions.Rate("Reports", "daily", 1.0, null));
    assertThat(e.schedules())
        .containsExactly(
            new ManifestExtensions.Schedule(
                "Reports", "daily", "0", "0 9 * * *", "Europe/Paris", null, "\"x\"", "last"),
            new ManifestExtensions.Schedule(
                "Reports", "daily", "1", "* * * * * *", null, null, null, "none"));
  }

  @Test
  void extensionsOfTheWrongShapeAreRefusedWithWhereTheyAre() {
    for (String[] bad :
        List.of(
            new String[] {"x-resolute-rate-limit", "{\"rate_per_second\":0}", "> 0"},
            new String[] {"x-resolute-rate-limit", "{\"rate_per_second\":1,\"burst\":0}", ">= 1"},
            new String[] {"x-resolute-rate-limit", "five", "not JSON"},
            new String[] {"x-resolute-schedules", "{}", "expected an array"},
            new String[] {"x-resolute-schedules", "[{\"name\":\"x\"}]", "needs a cron"},
            new String[] {
              "x-resolute-schedules",
              "[{\"cron\":\"* * * * *\",\"catch_up\":\"some\"}]",
              "bad catch_up"
            },
            new String[] {
              "x-resolute-schedules",
              "[{\"name\":\"a\",\"cron\":\"* * * * *\"},{\"name\":\"a\",\"cron\":\"* * * * *\"}]",
              "used twice"
            })) {
      assertThatThrownBy(() -> ManifestExtensions.of(manifest(meta(), meta(bad[0], bad[1]))))
          .isInstanceOf(ManifestExtensions.InvalidException.class)
          .hasMessageContaining("Reports/daily")
          .hasMessageContaining(bad[2]);
    }
  }
}
