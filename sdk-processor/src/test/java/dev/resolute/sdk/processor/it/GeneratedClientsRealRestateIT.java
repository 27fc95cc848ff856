package dev.resolute.sdk.processor.it;

import dev.resolute.client.testsupport.RealRestateServer;
import org.junit.jupiter.api.BeforeAll;

/** Generated clients against the real restate-server 1.7.12. */
class GeneratedClientsRealRestateIT extends GeneratedClientsITBase {
  @BeforeAll
  static void start() throws Exception {
    startAll(RealRestateServer.start("processor"));
  }
}
