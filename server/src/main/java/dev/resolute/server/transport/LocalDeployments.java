package dev.resolute.server.transport;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Deployments served inside this JVM by an application that embeds the node (module {@code
 * embedded}): a deployment whose URI has the scheme {@value #SCHEME} is reached through this
 * instead of a socket. The invoker opens its exchanges here as on any deployment (same protocol
 * frames, same listener contract: callbacks in order, one terminal call, none blocking); discovery
 * makes its one unary request through {@link #request}.
 */
public interface LocalDeployments extends DeploymentClient {
  /** The URI scheme of in-process deployments, e.g. {@code inprocess://app/}. */
  String SCHEME = "inprocess";

  /** Whether {@code uri} names an in-process deployment. */
  static boolean isLocal(URI uri) {
    return uri.getScheme() != null && SCHEME.equals(uri.getScheme().toLowerCase(Locale.ROOT));
  }

  /**
   * A non-streaming request (discovery), with the contract of {@link
   * NettyDeploymentClient#request(URI, String, List, byte[], boolean, Duration, int)}.
   */
  CompletableFuture<UnaryResponse> request(
      URI uri,
      String method,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      Duration timeout,
      int maxResponseBytes);
}
