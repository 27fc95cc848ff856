package dev.resolute.embedded;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An answer of the ingress API to a request made in-process ({@link EmbeddedResolute#request}): the
 * status, headers and body the ingress port would have sent.
 *
 * @param headers lower-case names, in order
 */
public record IngressResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {
  public IngressResponse {
    headers = List.copyOf(headers);
  }

  /** The body as UTF-8 text. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

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
