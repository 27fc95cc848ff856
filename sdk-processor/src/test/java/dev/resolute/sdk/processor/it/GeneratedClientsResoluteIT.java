package dev.resolute.sdk.processor.it;

import dev.resolute.client.testsupport.InProcessResoluteServer;
import org.junit.jupiter.api.BeforeAll;

/** Generated clients against an in-process Resolute server. */
class GeneratedClientsResoluteIT extends GeneratedClientsITBase {
  @BeforeAll
  static void start() throws Exception {
    startAll(InProcessResoluteServer.start("processor"));
  }
}
