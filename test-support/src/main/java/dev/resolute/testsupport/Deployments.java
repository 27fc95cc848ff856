package dev.resolute.testsupport;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Registers a deployment through the admin API, as the CLI does. */
public final class Deployments {
  private Deployments() {}

  /**
   * {@code POST <adminUrl>/deployments {"uri", "use_http_11", "force": true}}; returns the response
   * body, throws {@link IllegalStateException} unless 200/201.
   */
  public static String register(String adminUrl, String uri, boolean useHttp11)
      throws IOException, InterruptedException {
    String body = "{\"uri\":\"" + uri + "\",\"use_http_11\":" + useHttp11 + ",\"force\":true}";
    HttpResponse<String> r = Http.postJson(adminUrl + "/deployments", body, Duration.ofSeconds(30));
    if (r.statusCode() != 200 && r.statusCode() != 201) {
      throw new IllegalStateException(
          "registering " + uri + " failed: " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }
}
