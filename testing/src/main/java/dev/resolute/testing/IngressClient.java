package dev.resolute.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A raw HTTP/1.1 client of the ingress API, for tests that look at status codes and bodies as the
 * server sends them. Bodies are strings (JSON for handler input/output). Thread-safe.
 *
 * <pre>{@code
 * HttpResponse<String> r = ingress.post("/Greeter/greet", "\"Ann\"");
 * ingress.resolveAwakeable(id, "{\"approved\":true}");
 * }</pre>
 */
public final class IngressClient {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public IngressClient(URI base) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
  }

  /** The ingress base address, without trailing slash. */
  public URI baseUri() {
    return base;
  }

  /** {@code POST path} with a JSON body ({@code null}: no body, no content type). */
  public HttpResponse<String> post(String path, String jsonBody) {
    return post(path, jsonBody, Map.of());
  }

  /** {@code POST path} with a JSON body and extra headers (e.g. {@code idempotency-key}). */
  public HttpResponse<String> post(String path, String jsonBody, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT);
    headers.forEach(b::header);
    if (jsonBody == null) {
      b.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
    }
    return send(b.build());
  }

  /** {@code GET path}. */
  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).GET().build());
  }

  /** {@code POST /restate/awakeables/{id}/resolve} with a JSON value. */
  public HttpResponse<String> resolveAwakeable(String awakeableId, String jsonValue) {
    return post("/restate/awakeables/" + encode(awakeableId) + "/resolve", jsonValue);
  }

  /** {@code POST /restate/awakeables/{id}/reject} with the reason as {@code text/plain}. */
  public HttpResponse<String> rejectAwakeable(String awakeableId, String reason) {
    return send(
        HttpRequest.newBuilder(uri("/restate/awakeables/" + encode(awakeableId) + "/reject"))
            .timeout(REQUEST_TIMEOUT)
            .header("content-type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString(reason))
            .build());
  }

  private URI uri(String path) {
    return URI.create(base + (path.startsWith("/") ? path : "/" + path));
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
    }
  }
}
