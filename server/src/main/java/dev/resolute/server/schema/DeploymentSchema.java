package dev.resolute.server.schema;

import dev.resolute.protocol.manifest.EndpointManifest;
import java.util.List;
import java.util.Map;

/**
 * A registered deployment (HTTP endpoint).
 *
 * @param http11 true when invocations use HTTP/1.1 ({@code use_http_11}); false = h2c prior
 *     knowledge
 * @param services names and revisions of the services this deployment serves
 */
public record DeploymentSchema(
    String id,
    String uri,
    EndpointManifest.ProtocolMode protocolMode,
    boolean http11,
    Map<String, String> additionalHeaders,
    Map<String, String> metadata,
    int minProtocolVersion,
    int maxProtocolVersion,
    String sdkVersion,
    long createdAtMillis,
    List<ServiceRevision> services) {

  public record ServiceRevision(String name, int revision) {}
}
