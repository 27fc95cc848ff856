package dev.resolute.testing;

/**
 * The extension with the real restate-server 1.7.12 as a child process (registered over HTTP/1.1).
 */
@ResoluteTest(server = ServerKind.RESTATE, useHttp11 = true)
class RestateServerExtensionIT extends ResoluteExtensionITBase {}
