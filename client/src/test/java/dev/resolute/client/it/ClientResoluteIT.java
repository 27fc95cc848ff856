package dev.resolute.client.it;

import dev.resolute.client.testsupport.InProcessResoluteServer;
import org.junit.jupiter.api.BeforeAll;

/** The client against an in-process Resolute server. */
class ClientResoluteIT extends ClientScenariosITBase {
  @BeforeAll
  static void start() throws Exception {
    startAll(InProcessResoluteServer.start("client"));
  }
}
