package dev.resolute.client.it;

import dev.resolute.client.testsupport.RealRestateServer;
import org.junit.jupiter.api.BeforeAll;

/** The client against the real restate-server 1.7.12. */
class ClientRealRestateIT extends ClientScenariosITBase {
  @BeforeAll
  static void start() throws Exception {
    startAll(RealRestateServer.start("client"));
  }
}
