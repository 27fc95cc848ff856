package dev.resolute.sdktests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link PythonParity} with the deployment registered with {@code "use_http_11": true} (what {@code
 * restate deployments register --use-http1.1} sends): both servers reach Hypercorn over HTTP/1.1
 * (h11), and the SDK answers in request/response mode.
 */
class PythonHttp11ParityIT extends PythonParity {
  @Override
  boolean http11() {
    return true;
  }

  @Test
  void bothServersRecordTheDeploymentAsHttp11RequestResponse() throws Exception {
    for (Server.Kind kind : Server.Kind.values()) {
      String deployments = server(kind).adminGet("/deployments").body();
      assertThat(deployments)
          .as(kind.name())
          .contains("\"http_version\":\"HTTP/1.1\"")
          .contains("\"protocol_type\":\"RequestResponse\"");
    }
  }
}
