package dev.resolute.server.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.schema.SchemaException;
import dev.resolute.server.transport.TransportException;
import dev.resolute.server.transport.UnaryResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Messages and codes below were captured from restate-server 1.7.12. */
class DiscoveryValidationTest {
  static UnaryResponse resp(int status, String ct, String body) {
    return new UnaryResponse(
        status,
        ct == null
            ? List.of()
            : List.of(Map.entry("content-type", ct), Map.entry("x-restate-server", "fake/1")),
        body.getBytes(StandardCharsets.UTF_8),
        "HTTP/2.0");
  }

  static final String V3 = "application/vnd.restate.endpointmanifest.v3+json";

  static SchemaException fail(UnaryResponse r) {
    try {
      DiscoveryClient.validate("http://x/", false, r);
    } catch (SchemaException e) {
      return e;
    }
    throw new AssertionError("expected failure");
  }

  @Test
  void acceptsJavaSdkManifestWithSharedOnServiceHandlers() throws Exception {
    DiscoveredEndpoint ep =
        DiscoveryClient.validate(
            "http://x/",
            false,
            resp(
                200,
                V3,
                "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,\"maxProtocolVersion\":6,\"services\":[{\"name\":"
                    + "\"JGreeter\",\"ty\":\"SERVICE\",\"handlers\":[{\"name\":\"greet\",\"ty\":\"SHARED\",\"input\":{},"
                    + "\"metadata\":{}}],\"metadata\":{}}]}"));
    assertThat(ep.sdkVersion()).isEqualTo("fake/1");
    assertThat(ep.manifestVersion()).isEqualTo(3);
    assertThat(ep.manifest().services().get(0).handlers().get(0).name()).isEqualTo("greet");
  }

  @Test
  void missingProtocolMode() {
    SchemaException e =
        fail(resp(200, V3, "{\"minProtocolVersion\":5,\"maxProtocolVersion\":6,\"services\":[]}"));
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.restateCode()).isEqualTo("META0013");
    assertThat(e)
        .hasMessage(
            "[META0013] [META0013] received a bad response from the SDK: missing protocol mode");
  }

  @Test
  void versionRange() throws Exception {
    SchemaException e =
        fail(
            resp(
                200,
                V3,
                "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":1,\"maxProtocolVersion\":4,\"services\":[]}"));
    assertThat(e.restateCode()).isEqualTo("META0012");
    assertThat(e)
        .hasMessage(
            "[META0012] [META0012] unsupported service protocol versions: [1, 4]. Supported versions"
                + " by this runtime are [5, 7]. Please upgrade the SDK and try registering again.");
    SchemaException e2 =
        fail(
            resp(
                200,
                V3,
                "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":6,\"maxProtocolVersion\":5,\"services\":[]}"));
    assertThat(e2.restateCode()).isEqualTo("META0013");
    assertThat(e2.getMessage())
        .contains("Received min protocol version '6', max protocol version '5'");
    // [7, 9] intersects [5, 7]
    assertThat(
            DiscoveryClient.validate(
                "http://x/",
                false,
                resp(
                    200,
                    V3,
                    "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":7,\"maxProtocolVersion\":9,\"services\":[]}")))
        .isNotNull();
  }

  @Test
  void badNames() {
    SchemaException e =
        fail(
            resp(
                200,
                V3,
                "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,"
                    + "\"maxProtocolVersion\":6,\"services\":[{\"name\":\"1bad\",\"ty\":\"SERVICE\",\"handlers\":[]}]}"));
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.restateCode()).isNull();
    assertThat(e.getMessage())
        .startsWith(
            "received a bad response from the SDK that cannot be decoded: doesn't match"
                + " pattern \"^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9._-]*$\"");
    SchemaException h =
        fail(
            resp(
                200,
                V3,
                "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,"
                    + "\"maxProtocolVersion\":6,\"services\":[{\"name\":\"Ok\",\"ty\":\"SERVICE\",\"handlers\":[{\"name\":\"a-b\"}]}]}"));
    assertThat(h.getMessage())
        .contains("doesn't match pattern \"^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9_]*$\"");
  }

  @Test
  void badTypeAndGarbage() {
    SchemaException e =
        fail(
            resp(
                200,
                V3,
                "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,"
                    + "\"maxProtocolVersion\":6,\"services\":[{\"name\":\"A\",\"ty\":\"NOPE\",\"handlers\":[]}]}"));
    assertThat(e.getMessage())
        .startsWith("received a bad response from the SDK that cannot be decoded");
    assertThat(fail(resp(200, V3, "not json")).getMessage())
        .endsWith("Discovery response: not json");
  }

  @Test
  void badContentTypeAnd404() {
    SchemaException ct = fail(resp(200, "application/json", "{}"));
    assertThat(ct.restateCode()).isEqualTo("META0013");
    assertThat(ct.getMessage())
        .startsWith(
            "[META0013] [META0013] received a bad response from the SDK: Bad content type header: \"application/json\"");
    SchemaException nf = fail(resp(404, null, ""));
    assertThat(nf.restateCode()).isEqualTo("META0003");
    assertThat(nf.getMessage())
        .contains("got status code '404'. Make sure the provided URI has the correct path");
  }

  @Test
  void transportErrors() {
    SchemaException h1 =
        DiscoveryClient.transportError(
            "http://x/", new TransportException(TransportException.Kind.PROTOCOL, "HTTP/1"), false);
    assertThat(h1.restateCode()).isEqualTo("META0014");
    assertThat(h1)
        .hasMessage(
            "[META0014] [META0014] error when calling 'http://x/': server possibly supports only"
                + " HTTP1.1, consider discovery with --use-http1.1.");
    SchemaException down =
        DiscoveryClient.transportError(
            "http://x/", new TransportException(TransportException.Kind.CONNECT, "refused"), false);
    assertThat(down.restateCode()).isEqualTo("META0003");
  }

  @Test
  void uris() {
    assertThat(DiscoveryClient.normalize(URI.create("http://h:1"))).isEqualTo("http://h:1/");
    assertThat(
            DiscoveryClient.endpointUri(URI.create("http://h:1/p/x/?q=1"), "discover").toString())
        .isEqualTo("http://h:1/p/x/discover?q=1");
    assertThat(DiscoveryClient.endpointUri(URI.create("http://h:1"), "discover").toString())
        .isEqualTo("http://h:1/discover");
  }
}
