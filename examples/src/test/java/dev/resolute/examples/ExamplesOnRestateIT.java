package dev.resolute.examples;

import dev.resolute.testing.ResoluteTest;
import dev.resolute.testing.ServerKind;

/** The examples against the real restate-server 1.7.12 (child process). */
@ResoluteTest(server = ServerKind.RESTATE)
class ExamplesOnRestateIT extends ExamplesITBase {}
