package dev.resolute.examples;

import dev.resolute.testing.ResoluteTest;

/**
 * The examples against the embedded Resolute server, deployment registered for HTTP/1.1
 * request/response.
 */
@ResoluteTest(useHttp11 = true)
class ExamplesOnResoluteHttp11IT extends ExamplesITBase {}
