package dev.resolute.server.http;

import java.util.concurrent.CompletableFuture;

/**
 * Handles one aggregated request. Implementations must not block: return a future and complete it
 * from any thread. An exceptionally completed future becomes a 500 with a JSON message.
 */
@FunctionalInterface
public interface HttpHandler {
  CompletableFuture<HttpResponse> handle(HttpRequest request);

  /**
   * A response future the server cancels when the client closes its connection before the answer is
   * ready (work nobody will read, such as a SQL query, can then stop); other futures are left to
   * complete.
   */
  final class CancelOnClose extends CompletableFuture<HttpResponse> {}
}
