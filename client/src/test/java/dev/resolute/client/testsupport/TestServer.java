package dev.resolute.client.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A Restate-compatible server for tests: the real {@code restate-server} as a child process
 * ({@link RealRestateServer}) or an in-process Resolute node ({@link InProcessResoluteServer}).
 */
public interface TestServer extends AutoCloseable {

  String ingressUrl();

  String adminUrl();

  /** Registers the deployment at {@code uri} ({@code POST /deployments}, force) and returns the body. */
  default String registerDeployment(String uri, boolean useHttp11) throws IOException, InterruptedException {
    String body = "{\"uri\":\"" + uri + "\",\"use_http_11\":" + useHttp11 + ",\"force\":true}";
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(adminUrl() + "/deployments"))
            .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 && r.statusCode() != 201) {
      throw new IllegalStateException("registration failed: " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  @Override
  void close();

  /** GET status code, or -1 when nothing answers. */
  static int status(String url) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
          .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
