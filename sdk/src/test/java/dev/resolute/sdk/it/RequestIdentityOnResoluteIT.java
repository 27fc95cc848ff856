package dev.resolute.sdk.it;

import org.junit.jupiter.api.BeforeAll;

/** Request identity with the signing server being Resolute. */
class RequestIdentityOnResoluteIT extends RequestIdentityITBase {
  @BeforeAll
  static void start() throws Exception {
    startAll(true);
  }
}
