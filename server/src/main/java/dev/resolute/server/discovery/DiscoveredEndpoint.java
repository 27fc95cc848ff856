package dev.resolute.server.discovery;

import dev.resolute.protocol.manifest.EndpointManifest;

/**
 * A validated discovery result.
 *
 * @param uri the normalized deployment URI (path "/" when empty)
 * @param http11 whether discovery (and therefore invocations) use HTTP/1.1
 * @param sdkVersion the {@code x-restate-server} response header, or null
 */
public record DiscoveredEndpoint(
    String uri,
    boolean http11,
    EndpointManifest manifest,
    String sdkVersion,
    int manifestVersion) {}
