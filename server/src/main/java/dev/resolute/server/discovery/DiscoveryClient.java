package dev.resolute.server.discovery;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.protocol.ProtocolVersion;
import dev.resolute.protocol.manifest.EndpointManifest;
import dev.resolute.server.api.ErrorCode;
import dev.resolute.server.api.Failures;
import dev.resolute.server.identity.RequestSigner;
import dev.resolute.server.schema.SchemaException;
import dev.resolute.server.transport.NettyDeploymentClient;
import dev.resolute.server.transport.TransportException;
import dev.resolute.server.transport.UnaryResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/**
 * Calls {@code GET {uri}/discover} on a deployment and validates the endpoint manifest the way
 * restate-server 1.7.12 does (PROTOCOL.md §7.3). Failures are {@link SchemaException}s carrying the
 * admin status (500) and the META code and message the real server uses.
 */
public final class DiscoveryClient {
  static final Pattern SERVICE_NAME = Pattern.compile("^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9._-]*$");
  static final Pattern HANDLER_NAME = Pattern.compile("^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9_]*$");

  /**
   * Largest discovery response read: a larger one fails the registration (500, "cannot be decoded")
   * without being buffered further. restate-server reads any size (a 200 MB answer costs it memory
   * but is survived); a bound keeps one broken deployment from taking the node's heap. The largest
   * manifests seen (hundreds of handlers with JSON schemas) are a few MiB.
   */
  public static final int MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

  /**
   * Longest part of a bad response quoted in an error message; longer bodies are cut with a note of
   * their length (restate-server quotes them whole).
   */
  static final int MAX_QUOTED_BODY_CHARS = 64 * 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * The one request discovery makes: {@link NettyDeploymentClient#request} in the server, a fake
   * deployment in tests that must not touch the network (the admin API fuzz target).
   */
  @FunctionalInterface
  public interface Transport {
    CompletableFuture<UnaryResponse> request(
        URI uri,
        String method,
        List<Map.Entry<String, String>> headers,
        byte[] body,
        boolean http11,
        Duration timeout,
        int maxResponseBytes);
  }

  private final Transport transport;
  private final String clusterName;
  private final Duration timeout;
  private final RequestSigner signer;

  /**
   * @param clusterName sent as {@code x-restate-cluster-name} (restate default "localcluster")
   * @param timeout for the whole discovery request
   */
  public DiscoveryClient(NettyDeploymentClient transport, String clusterName, Duration timeout) {
    this(transport, clusterName, timeout, null);
  }

  /**
   * @param signer signs discovery requests (request identity), or null to send them unsigned
   */
  public DiscoveryClient(
      NettyDeploymentClient transport, String clusterName, Duration timeout, RequestSigner signer) {
    this(transport::request, clusterName, timeout, signer);
  }

  /**
   * @param transport makes the discovery request
   * @param signer signs discovery requests (request identity), or null to send them unsigned
   */
  public DiscoveryClient(
      Transport transport, String clusterName, Duration timeout, RequestSigner signer) {
    this.transport = transport;
    this.clusterName = clusterName;
    this.timeout = timeout;
    this.signer = signer;
  }

  public DiscoveryClient(NettyDeploymentClient transport) {
    this(transport, "localcluster", Duration.ofSeconds(30));
  }

  /** "http://h:p" → "http://h:p/"; otherwise unchanged. */
  public static String normalize(URI uri) {
    String s = uri.toString();
    if (uri.getRawPath() == null || uri.getRawPath().isEmpty()) {
      return uri.getScheme()
          + "://"
          + uri.getRawAuthority()
          + "/"
          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
    return s;
  }

  /** The deployment path (trailing "/" stripped) + "/" + {@code suffix}, query re-appended. */
  public static URI endpointUri(URI deployment, String suffix) {
    String path = deployment.getRawPath() == null ? "" : deployment.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String q = deployment.getRawQuery() == null ? "" : "?" + deployment.getRawQuery();
    return URI.create(
        deployment.getScheme() + "://" + deployment.getRawAuthority() + path + "/" + suffix + q);
  }

  /** Discovers and validates; the future fails with a {@link SchemaException}. */
  public CompletableFuture<DiscoveredEndpoint> discover(
      URI uri, Map<String, String> additionalHeaders, boolean http11) {
    String shown = normalize(uri);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    headers.add(Map.entry("accept", ProtocolVersion.DISCOVERY_ACCEPT));
    if (additionalHeaders != null) {
      additionalHeaders.forEach((k, v) -> headers.add(Map.entry(k.toLowerCase(Locale.ROOT), v)));
    }
    headers.add(Map.entry("x-restate-cluster-name", clusterName));
    URI discoverUri = endpointUri(uri, "discover");
    if (signer != null) {
      headers.addAll(signer.headers(discoverUri.getRawPath(), null));
    }
    return transport
        .request(discoverUri, "GET", headers, null, http11, timeout, MAX_RESPONSE_BYTES)
        .handle(
            (resp, err) -> {
              if (err != null) {
                throw new CompletionException(transportError(shown, Failures.unwrap(err), http11));
              }
              try {
                return validate(shown, http11, resp);
              } catch (SchemaException e) {
                throw new CompletionException(e);
              }
            });
  }

  static SchemaException transportError(String uri, Throwable err, boolean http11) {
    if (err instanceof TransportException te && te.kind() == TransportException.Kind.TOO_LARGE) {
      return new SchemaException(
          500,
          null,
          "received a bad response from the SDK that cannot be decoded: the discovery response is"
              + " larger than the limit of "
              + MAX_RESPONSE_BYTES
              + " bytes");
    }
    if (err instanceof TransportException te
        && te.kind() == TransportException.Kind.PROTOCOL
        && !http11) {
      return coded(
          ErrorCode.META0014,
          "error when calling '"
              + uri
              + "': server possibly supports only HTTP1.1, consider discovery with --use-http1.1.");
    }
    return coded(ErrorCode.META0003, "error when calling '" + uri + "': " + err.getMessage());
  }

  /** Validates a discovery response (status, content type, manifest). */
  public static DiscoveredEndpoint validate(String uri, boolean http11, UnaryResponse resp)
      throws SchemaException {
    String body = new String(resp.body(), StandardCharsets.UTF_8);
    if (resp.status() < 200 || resp.status() >= 300) {
      StringBuilder hs = new StringBuilder("{");
      for (Map.Entry<String, String> h : resp.headers()) {
        if (hs.length() > 1) {
          hs.append(", ");
        }
        hs.append('"').append(h.getKey()).append("\": \"").append(h.getValue()).append('"');
      }
      hs.append('}');
      String hint =
          resp.status() == 404
              ? ". Make sure the provided URI has the correct path where the Restate SDK endpoint is mounted"
              : "";
      throw coded(
          ErrorCode.META0003,
          "got status code '"
              + resp.status()
              + "'"
              + hint
              + ". Response headers: "
              + hs
              + ". Body: "
              + quoted(body));
    }
    String ct = resp.header("content-type");
    int version = ProtocolVersion.parseManifestContentType(ct);
    if (version < 1 || version > 4) {
      throw badResponse(
          "Bad content type header: \""
              + ct
              + "\". Expected one of '\""
              + ProtocolVersion.DISCOVERY_ACCEPT
              + "\"'");
    }
    EndpointManifest m = parse(body);
    return new DiscoveredEndpoint(uri, http11, m, resp.header("x-restate-server"), version);
  }

  /** Parses and validates a manifest body (no transport concerns). */
  public static EndpointManifest parse(String body) throws SchemaException {
    EndpointManifest m;
    try {
      m = JSON.readValue(body, EndpointManifest.class);
    } catch (Exception e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
      throw undecodable(msg, body);
    }
    if (m == null) {
      throw undecodable("empty manifest", body);
    }
    if (m.services() == null) {
      throw undecodable("missing field `services`", body);
    }
    if (m.minProtocolVersion() == null) {
      throw undecodable("missing field `minProtocolVersion`", body);
    }
    if (m.maxProtocolVersion() == null) {
      throw undecodable("missing field `maxProtocolVersion`", body);
    }
    for (EndpointManifest.Service s : m.services()) {
      if (s == null || s.name() == null || !SERVICE_NAME.matcher(s.name()).matches()) {
        throw undecodable("doesn't match pattern \"" + SERVICE_NAME.pattern() + "\"", body);
      }
      if (s.ty() == null) {
        throw undecodable("missing field `ty`", body);
      }
      if (s.handlers() == null) {
        throw undecodable("missing field `handlers`", body);
      }
      for (EndpointManifest.Handler h : s.handlers()) {
        if (h == null || h.name() == null || !HANDLER_NAME.matcher(h.name()).matches()) {
          throw undecodable("doesn't match pattern \"" + HANDLER_NAME.pattern() + "\"", body);
        }
      }
    }
    if (m.protocolMode() == null) {
      throw badResponse("missing protocol mode");
    }
    int min = m.minProtocolVersion();
    int max = m.maxProtocolVersion();
    if (min < 1 || max < 1) {
      throw undecodable("protocol versions must be >= 1", body);
    }
    if (min > max) {
      throw badResponse(
          "Expected min protocol version to be <= max protocol version. Received min protocol version '"
              + min
              + "', max protocol version '"
              + max
              + "'");
    }
    if (max < ProtocolVersion.MIN_DISCOVERABLE || min > ProtocolVersion.MAX_DISCOVERABLE) {
      throw coded(
          ErrorCode.META0012,
          "unsupported service protocol versions: ["
              + min
              + ", "
              + max
              + "]. Supported versions by this runtime are ["
              + ProtocolVersion.MIN_DISCOVERABLE
              + ", "
              + ProtocolVersion.MAX_DISCOVERABLE
              + "]. Please upgrade the SDK and try registering again.");
    }
    return m;
  }

  private static SchemaException badResponse(String what) {
    return coded(ErrorCode.META0013, "received a bad response from the SDK: " + what);
  }

  /**
   * A discovery failure (admin status 500) worded as restate-server words it: the code tag twice,
   * then the text.
   */
  private static SchemaException coded(ErrorCode code, String text) {
    return new SchemaException(500, code, code.tag() + " " + code.tag() + " " + text);
  }

  private static SchemaException undecodable(String what, String body) {
    return new SchemaException(
        500,
        null,
        "received a bad response from the SDK that cannot be decoded: "
            + what
            + ". Discovery response: "
            + quoted(body));
  }

  /** {@code body}, or its first {@link #MAX_QUOTED_BODY_CHARS} characters and its length. */
  static String quoted(String body) {
    if (body.length() <= MAX_QUOTED_BODY_CHARS) {
      return body;
    }
    return body.substring(0, MAX_QUOTED_BODY_CHARS)
        + "… ("
        + body.length()
        + " characters in total)";
  }
}
