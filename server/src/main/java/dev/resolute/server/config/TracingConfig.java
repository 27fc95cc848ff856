package dev.resolute.server.config;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where invocation traces go: restate-server's {@code tracing-endpoint} (or {@code
 * tracing-services-endpoint}, which overrides it for the traces of invocations — the only traces
 * Resolute exports) and {@code tracing-headers}.
 *
 * @param endpoint null: no tracing (the default). The scheme picks the OTLP transport as
 *     restate-server picks it: {@code http://}, {@code https://}, {@code grpc://}, {@code
 *     otlp+grpc://} send OTLP/gRPC (to e.g. {@code :4317}); {@code otlp+http://}, {@code
 *     otlp+https://}, {@code otlp+proto+http(s)://} send OTLP/HTTP protobuf to the URL as given
 *     (usually ending in {@code /v1/traces})
 * @param headers extra headers on every export request (e.g. {@code authorization})
 */
public record TracingConfig(String endpoint, Map<String, String> headers) {
  /** The OTLP transport an endpoint's scheme asks for. */
  public enum Protocol {
    GRPC,
    HTTP_PROTOBUF
  }

  /** An endpoint with its scheme resolved: {@code url} has a plain http/https scheme. */
  public record Target(Protocol protocol, String url) {}

  public TracingConfig {
    headers = Map.copyOf(Objects.requireNonNull(headers, "tracing-headers"));
    if (endpoint != null) {
      target(endpoint); // validates
    }
  }

  public static TracingConfig disabled() {
    return new TracingConfig(null, Map.of());
  }

  public boolean enabled() {
    return endpoint != null;
  }

  /**
   * Resolves {@code endpoint}'s scheme: its {@code +}-separated tokens, in any order, as
   * restate-server reads them.
   *
   * @throws IllegalArgumentException for a URI without a scheme or host, or an unknown scheme
   */
  public static Target target(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(
          "invalid tracing endpoint " + endpoint + ": URI: " + e.getMessage());
    }
    if (uri.getScheme() == null) {
      throw new IllegalArgumentException("invalid tracing endpoint " + endpoint + ": no scheme");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("invalid tracing endpoint " + endpoint + ": no host");
    }
    String[] tokens = uri.getScheme().toLowerCase(Locale.ROOT).split("\\+");
    java.util.Arrays.sort(tokens);
    String key = String.join("+", tokens);
    String rest = uri.getRawSchemeSpecificPart();
    if (uri.getRawFragment() != null) {
      rest += "#" + uri.getRawFragment();
    }
    return switch (key) {
      case "http", "grpc", "grpc+otlp" -> new Target(Protocol.GRPC, "http:" + rest);
      case "https" -> new Target(Protocol.GRPC, "https:" + rest);
      case "http+otlp", "http+otlp+proto" -> new Target(Protocol.HTTP_PROTOBUF, "http:" + rest);
      case "https+otlp", "https+otlp+proto" -> new Target(Protocol.HTTP_PROTOBUF, "https:" + rest);
      case "http+json+otlp", "https+json+otlp" ->
          throw new IllegalArgumentException(
              "invalid tracing endpoint "
                  + endpoint
                  + ": OTLP/HTTP with JSON is not supported by Resolute; use otlp+http:// "
                  + "(protobuf) or http:// (gRPC)");
      default ->
          throw new IllegalArgumentException(
              "invalid tracing endpoint " + endpoint + ": invalid scheme");
    };
  }
}
