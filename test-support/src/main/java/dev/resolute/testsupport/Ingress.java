package dev.resolute.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Minimal ingress client for tests (HTTP/1.1, JSON bodies, an optional idempotency key). */
public final class Ingress {
  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public Ingress(String base) {
    this.base = base;
  }

  public HttpResponse<String> post(String path, String jsonBody)
      throws IOException, InterruptedException {
    return post(path, jsonBody, null);
  }

  public HttpResponse<String> post(String path, String jsonBody, String idempotencyKey)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (idempotencyKey != null) {
      b.header("idempotency-key", idempotencyKey);
    }
    if (jsonBody == null) {
      b.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
