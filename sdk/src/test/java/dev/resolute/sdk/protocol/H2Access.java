package dev.resolute.sdk.protocol;

import java.util.HashMap;
import java.util.Map;

/** Public access to the test h2c client from other test packages. */
public final class H2Access {
  private H2Access() {}

  public record Result(int status, Map<String, String> headers, byte[] body) {}

  public static Result exchange(int port, String method, String path, Map<String, String> headers)
      throws Exception {
    try (H2TestClient c = new H2TestClient("127.0.0.1", port)) {
      H2TestClient.Response r = c.exchange(method, path, headers, new byte[0]);
      Map<String, String> h = new HashMap<>();
      r.headers().forEach(e -> h.put(e.getKey().toString(), e.getValue().toString()));
      return new Result(r.status(), h, r.body());
    }
  }
}
