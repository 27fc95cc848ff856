package dev.resolute.sdk.internal.endpoint;

import dev.resolute.protocol.ProtocolVersion;
import dev.resolute.protocol.manifest.EndpointManifest;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.endpoint.definition.HandlerDefinition;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Transport-independent request routing: {@code /discover}, {@code /health} and {@code POST
 * .../invoke/{service}/{handler}}. The transports (HTTP/2, HTTP/1.1, in-memory tests) map their
 * requests onto {@link #handle}.
 */
public final class EndpointHandler {
  private final Endpoint endpoint;

  public EndpointHandler(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** The outcome of routing a request. */
  public sealed interface Routed {}

  /** A complete response. */
  public record Simple(int status, String contentType, byte[] body) implements Routed {
    static Simple text(int status, String text) {
      return new Simple(status, "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** A streaming invocation: answer 200 with {@code contentType} and pump the session. */
  public record Invocation(String contentType, InvocationSession session) implements Routed {}

  /**
   * Routes a request.
   *
   * @param headers header lookup (lower-case names)
   * @param http2 whether the request came over HTTP/2 (decides the advertised protocol mode)
   * @param sink where the invocation response goes (used only for {@link Invocation})
   */
  public Routed handle(
      String method,
      String rawPath,
      Function<String, String> headers,
      boolean http2,
      ResponseSink sink) {
    String path = rawPath;
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String[] segs = path.split("/");
    String last = segs.length > 0 ? segs[segs.length - 1] : "";
    boolean invokePath = segs.length >= 3 && segs[segs.length - 3].equals("invoke");
    if (last.equals("health") && !invokePath) {
      return Simple.text(200, "OK");
    }
    try {
      endpoint.requestIdentityVerifier().verifyRequest(headers, path);
    } catch (RuntimeException e) {
      // RequestIdentityException from the built-in verifier; anything a custom verifier throws
      return Simple.text(401, "Authentication failed: " + e.getMessage());
    }
    if (last.equals("discover") && !invokePath) {
      return discover(headers.apply("accept"), http2);
    }
    if (invokePath) {
      if (!method.equalsIgnoreCase("POST")) {
        return Simple.text(405, "Method not allowed, use POST");
      }
      return invoke(segs[segs.length - 2], segs[segs.length - 1], headers, sink);
    }
    return Simple.text(404, "Not found: " + rawPath);
  }

  private Routed discover(String accept, boolean http2) {
    int version =
        ProtocolVersion.negotiateManifestVersion(
            accept, ManifestBuilder.MIN_MANIFEST_VERSION, ManifestBuilder.MAX_MANIFEST_VERSION);
    if (version < 0) {
      return Simple.text(
          415,
          "Unsupported discovery accept header '"
              + accept
              + "', supported: "
              + ProtocolVersion.manifestContentType(ManifestBuilder.MIN_MANIFEST_VERSION)
              + " to "
              + ProtocolVersion.manifestContentType(ManifestBuilder.MAX_MANIFEST_VERSION));
    }
    EndpointManifest m =
        ManifestBuilder.build(
            endpoint,
            version,
            http2
                ? EndpointManifest.ProtocolMode.BIDI_STREAM
                : EndpointManifest.ProtocolMode.REQUEST_RESPONSE);
    return new Simple(200, ProtocolVersion.manifestContentType(version), ManifestBuilder.toJson(m));
  }

  private Routed invoke(
      String serviceName, String handlerName, Function<String, String> headers, ResponseSink sink) {
    ServiceDefinition service = endpoint.getService(serviceName);
    HandlerDefinition<?, ?> handler = service == null ? null : service.getHandler(handlerName);
    if (handler == null) {
      return Simple.text(404, "Unknown service/handler " + serviceName + "/" + handlerName);
    }
    String contentType = headers.apply("content-type");
    int version = ProtocolVersion.parseInvocationContentType(contentType);
    if (version < ProtocolVersion.MIN_SUPPORTED || version > ProtocolVersion.MAX_SUPPORTED) {
      return Simple.text(
          415,
          "Unsupported service protocol content-type '"
              + contentType
              + "', supported: v"
              + ProtocolVersion.MIN_SUPPORTED
              + " to v"
              + ProtocolVersion.MAX_SUPPORTED);
    }
    InvocationSession session = new InvocationSession(version, sink);
    endpoint
        .executorFor(service.getServiceName())
        .execute(
            new InvocationRunner(
                session.stateMachine(),
                service,
                handler,
                endpoint.clock(),
                headers.apply("x-restate-invocation-id")));
    return new Invocation(ProtocolVersion.invocationContentType(version), session);
  }
}
