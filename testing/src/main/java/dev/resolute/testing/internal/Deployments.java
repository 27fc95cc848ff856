package dev.resolute.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Registers a deployment through the admin API ({@code POST /deployments}), as the CLI does. */
public final class Deployments {
  private Deployments() {}

  /** Registers {@code endpoint}; returns the response body; throws unless 200/201. */
  public static String register(URI adminUri, URI endpoint, boolean useHttp11) {
    String body = "{\"uri\":\"" + endpoint + "\",\"use_http_11\":" + useHttp11 + ",\"force\":true}";
    try {
      HttpResponse<String> r = new Http().postJson(adminUri.resolve("/deployments"), body, Duration.ofSeconds(30));
      if (r.statusCode() != 200 && r.statusCode() != 201) {
        throw new IllegalStateException("registering " + endpoint + " failed: " + r.statusCode() + " " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException("registering " + endpoint + " at " + adminUri + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering " + endpoint, e);
    }
  }
}
