package dev.resolute.sdk.it;

import dev.resolute.testsupport.ResoluteProcess;
import org.junit.jupiter.api.BeforeAll;

/** Example services on the Resolute server over HTTP/1.1 (REQUEST_RESPONSE). */
class ResoluteHttp11IT extends RealRestateServerITBase {
  @BeforeAll
  static void start() throws Exception {
    startAll(ResoluteProcess.create("h11").args("--default-num-partitions", "4"), true);
  }
}
