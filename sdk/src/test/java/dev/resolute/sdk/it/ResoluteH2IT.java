package dev.resolute.sdk.it;

import dev.resolute.testsupport.ResoluteProcess;
import org.junit.jupiter.api.BeforeAll;

/** Example services on the Resolute server over HTTP/2 (h2c, BIDI_STREAM). */
class ResoluteH2IT extends RealRestateServerITBase {
  @BeforeAll
  static void start() throws Exception {
    startAll(ResoluteProcess.create("h2").args("--default-num-partitions", "4"), false);
  }
}
