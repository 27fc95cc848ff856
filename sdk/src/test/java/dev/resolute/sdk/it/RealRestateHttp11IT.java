package dev.resolute.sdk.it;

import org.junit.jupiter.api.BeforeAll;

/**
 * Example services on the real restate-server over HTTP/1.1 (REQUEST_RESPONSE, {@code
 * use_http_11}).
 */
class RealRestateHttp11IT extends RealRestateServerITBase {
  @BeforeAll
  static void start() throws Exception {
    startAll("http11", true);
  }
}
