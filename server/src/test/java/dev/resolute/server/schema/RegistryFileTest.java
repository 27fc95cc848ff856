package dev.resolute.server.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resolute.protocol.manifest.EndpointManifest;
import dev.resolute.protocol.manifest.EndpointManifest.Handler;
import dev.resolute.protocol.manifest.EndpointManifest.InputPayload;
import dev.resolute.protocol.manifest.EndpointManifest.OutputPayload;
import dev.resolute.protocol.manifest.EndpointManifest.Service;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tree reader of the registry file reads what data binding wrote exactly as data binding reads
 * it.
 */
class RegistryFileTest {
  static SchemaRegistry.Persisted sample() throws Exception {
    JsonNode schema =
        SchemaRegistry.JSON.readTree(
            "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}");
    Handler full =
        new Handler(
            "run",
            EndpointManifest.HandlerType.WORKFLOW,
            new InputPayload(true, "application/json", schema),
            new OutputPayload("application/json", false, schema),
            "docs",
            Map.of("k", "v"),
            60_000L,
            600_000L,
            86_400_000L,
            3_600_000L,
            7_200_000L,
            true,
            true,
            100L,
            10_000L,
            5L,
            2.5,
            EndpointManifest.OnMaxAttempts.KILL);
    Handler bare = Handler.of("get", EndpointManifest.HandlerType.SHARED, null, null);
    Handler nullSchema =
        Handler.of(
            "put",
            null,
            new InputPayload(
                null, null, com.fasterxml.jackson.databind.node.NullNode.getInstance()),
            new OutputPayload(null, true, null));
    Service s1 =
        new Service(
            "Flow",
            EndpointManifest.ServiceType.WORKFLOW,
            List.of(full, bare),
            "service docs",
            Map.of("team", "a"),
            1L,
            2L,
            3L,
            4L,
            false,
            false,
            5L,
            6L,
            7L,
            1.5,
            EndpointManifest.OnMaxAttempts.PAUSE);
    Service s2 =
        Service.of("Counter", EndpointManifest.ServiceType.VIRTUAL_OBJECT, List.of(nullSchema));
    EndpointManifest m =
        new EndpointManifest(
            EndpointManifest.ProtocolMode.BIDI_STREAM, 5, 6, null, List.of(s1, s2));
    DeploymentSchema d =
        new DeploymentSchema(
            "dp_1",
            "http://127.0.0.1:9080/",
            EndpointManifest.ProtocolMode.BIDI_STREAM,
            true,
            Map.of("x-h", "1"),
            Map.of(),
            5,
            6,
            "sdk/1",
            1_796_000_000_000L,
            List.of(
                new DeploymentSchema.ServiceRevision("Flow", 3),
                new DeploymentSchema.ServiceRevision("Counter", 1)));
    DeploymentSchema sparse =
        new DeploymentSchema(
            "dp_2", "http://b/", null, false, null, null, 0, 0, null, 0, List.of());
    EndpointManifest empty = new EndpointManifest(null, null, null, "zstd", null);
    Map<String, SchemaRegistry.ServiceRef> latest = new LinkedHashMap<>();
    latest.put("Flow", new SchemaRegistry.ServiceRef("dp_1", 3));
    latest.put("Counter", new SchemaRegistry.ServiceRef("dp_1", 1));
    return new SchemaRegistry.Persisted(
        1,
        List.of(
            new SchemaRegistry.DeploymentEntry(d, m),
            new SchemaRegistry.DeploymentEntry(sparse, empty)),
        latest,
        Map.of(
            "Counter",
            new ServiceOverride(1, false, 300_000L, null, 7_200_000L, null, 3_600_000L),
            "Flow",
            ServiceOverride.none(3)));
  }

  @Test
  void readsWhatDataBindingReads() throws Exception {
    byte[] json = SchemaRegistry.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(sample());
    SchemaRegistry.Persisted bound =
        SchemaRegistry.JSON.readValue(json, SchemaRegistry.Persisted.class);
    SchemaRegistry.Persisted tree = RegistryFile.read(SchemaRegistry.JSON.readTree(json));
    assertThat(tree).isEqualTo(bound);
    assertThat(tree).isEqualTo(sample());
  }

  @Test
  void ignoresUnknownFieldsAndReadsAbsentOnesAsNullOrZero() throws Exception {
    String json =
        "{\"version\":1,\"future\":[1],\"deployments\":[{\"deployment\":{\"id\":\"dp_3\",\"extra\":true},"
            + "\"manifest\":{\"services\":[{\"name\":\"S\",\"handlers\":[{\"name\":\"h\",\"input\":{}}]}]}}]}";
    SchemaRegistry.Persisted bound =
        SchemaRegistry.JSON.readValue(json, SchemaRegistry.Persisted.class);
    SchemaRegistry.Persisted tree = RegistryFile.read(SchemaRegistry.JSON.readTree(json));
    assertThat(tree).isEqualTo(bound);
    assertThat(tree.latest()).isNull();
    assertThat(tree.deployments().get(0).deployment().services()).isNull();
  }
}
