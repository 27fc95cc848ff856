package dev.resolute.sdk.it;

import org.junit.jupiter.api.BeforeAll;

/** Request identity with the signing server being the real restate-server 1.7.12. */
class RequestIdentityOnRealRestateIT extends RequestIdentityITBase {
  @BeforeAll
  static void start() throws Exception {
    startAll(false);
  }
}
