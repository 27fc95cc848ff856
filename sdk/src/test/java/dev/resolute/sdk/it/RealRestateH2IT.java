package dev.resolute.sdk.it;

import org.junit.jupiter.api.BeforeAll;

/** Example services on the real restate-server over HTTP/2 (h2c, BIDI_STREAM). */
class RealRestateH2IT extends RealRestateServerITBase {
  @BeforeAll
  static void start() throws Exception {
    startAll("h2", false);
  }
}
