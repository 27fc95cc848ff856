package dev.resolute.sdk.it;

import dev.resolute.testsupport.ServerProcess;
import org.junit.jupiter.api.BeforeAll;

/** Example services on the Resolute server over HTTP/2 (h2c, BIDI_STREAM). */
class ResoluteH2IT extends RealRestateServerITBase {
  @BeforeAll
  static void start() throws Exception {
    startAll(ServerProcess.resolute("h2", ServerProcess.Ports.free()), false);
  }
}
