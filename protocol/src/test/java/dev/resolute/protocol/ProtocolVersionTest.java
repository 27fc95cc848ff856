package dev.resolute.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProtocolVersionTest {

  @Test
  void parsesInvocationMediaTypes() {
    assertThat(ProtocolVersion.parseInvocationContentType("application/vnd.restate.invocation.v5"))
        .isEqualTo(5);
    assertThat(
            ProtocolVersion.parseInvocationContentType(
                " application/vnd.restate.invocation.v6 ; charset=x"))
        .isEqualTo(6);
    assertThat(ProtocolVersion.parseInvocationContentType("application/vnd.restate.invocation.v"))
        .isEqualTo(-1);
    assertThat(ProtocolVersion.parseInvocationContentType("application/vnd.restate.invocation.vX"))
        .isEqualTo(-1);
    assertThat(ProtocolVersion.parseInvocationContentType("application/json")).isEqualTo(-1);
    assertThat(ProtocolVersion.parseInvocationContentType(null)).isEqualTo(-1);
  }

  @Test
  void parsesManifestMediaTypes() {
    assertThat(
            ProtocolVersion.parseManifestContentType(
                "application/vnd.restate.endpointmanifest.v3+json"))
        .isEqualTo(3);
    assertThat(
            ProtocolVersion.parseManifestContentType("application/vnd.restate.endpointmanifest.v3"))
        .isEqualTo(-1);
    assertThat(
            ProtocolVersion.parseManifestContentType(
                "application/vnd.restate.endpointmanifest.v+json"))
        .isEqualTo(-1);
    assertThat(ProtocolVersion.parseManifestContentType(null)).isEqualTo(-1);
  }

  @Test
  void negotiatesTheHighestAcceptedManifestVersion() {
    assertThat(ProtocolVersion.negotiateManifestVersion(ProtocolVersion.DISCOVERY_ACCEPT, 1, 4))
        .isEqualTo(4);
    assertThat(ProtocolVersion.negotiateManifestVersion(ProtocolVersion.DISCOVERY_ACCEPT, 1, 2))
        .isEqualTo(2);
    assertThat(ProtocolVersion.negotiateManifestVersion("application/json", 1, 4)).isEqualTo(-1);
  }
}
