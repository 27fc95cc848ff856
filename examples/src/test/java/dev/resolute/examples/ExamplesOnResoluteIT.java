package dev.resolute.examples;

import dev.resolute.testing.ResoluteTest;

/** The examples against the embedded Resolute server. */
@ResoluteTest
class ExamplesOnResoluteIT extends ExamplesITBase {}
