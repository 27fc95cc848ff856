package dev.resolute.server.transport;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * HTTP client for deployments: h2c with prior knowledge (default) or HTTP/1.1 with chunked bodies,
 * full duplex (request and response bodies stream concurrently). Connections are pooled per
 * authority and reused; TCP_NODELAY always.
 */
public interface DeploymentClient extends AutoCloseable {
  /**
   * Starts a request. Does not wait for response headers: the caller may write the request body
   * immediately.
   */
  Exchange open(
      URI uri,
      String method,
      List<Map.Entry<String, String>> headers,
      boolean http11,
      ExchangeListener listener);

  @Override
  void close();
}
