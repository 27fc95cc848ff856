package dev.resolute.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.protocol.manifest.EndpointManifest;
import org.junit.jupiter.api.Test;

class ManifestTest {
  @Test
  void parsesJavaSdkManifest() throws Exception {
    String json =
        "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,\"maxProtocolVersion\":6,"
            + "\"services\":[{\"name\":\"JGreeter\",\"ty\":\"SERVICE\",\"handlers\":[{\"name\":\"greet\",\"ty\":\"SHARED\","
            + "\"input\":{\"required\":true,\"contentType\":\"application/json\",\"jsonSchema\":{\"type\":\"string\"}},"
            + "\"output\":{\"contentType\":\"application/json\",\"setContentTypeIfEmpty\":false},\"metadata\":{}},"
            + "{\"name\":\"fail\",\"ty\":\"SHARED\",\"input\":{}}],\"metadata\":{}}]}";
    EndpointManifest m = new ObjectMapper().readValue(json, EndpointManifest.class);
    assertThat(m.protocolMode()).isEqualTo(EndpointManifest.ProtocolMode.BIDI_STREAM);
    assertThat(m.services().get(0).handlers().get(0).input().contentType())
        .isEqualTo("application/json");
    assertThat(m.services().get(0).handlers().get(1).input().contentType()).isNull();
    String back = new ObjectMapper().writeValueAsString(m);
    assertThat(back).doesNotContain("null").contains("\"ty\":\"SHARED\"");
  }

  @Test
  void negotiatesManifestVersion() {
    assertThat(ProtocolVersion.negotiateManifestVersion(ProtocolVersion.DISCOVERY_ACCEPT, 1, 4))
        .isEqualTo(4);
    assertThat(ProtocolVersion.negotiateManifestVersion("*/*", 1, 4)).isEqualTo(-1);
  }
}
