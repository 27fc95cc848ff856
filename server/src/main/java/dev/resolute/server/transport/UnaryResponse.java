package dev.resolute.server.transport;

import java.util.List;
import java.util.Map;

/**
 * A complete response of a non-streaming request.
 *
 * @param headers lower-case header names in arrival order
 * @param httpVersion "HTTP/2.0" or "HTTP/1.1", as Restate names them in the admin API
 */
public record UnaryResponse(
    int status, List<Map.Entry<String, String>> headers, byte[] body, String httpVersion) {
  /** First value of a header (case-insensitive), or null. */
  public String header(String name) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }
}
