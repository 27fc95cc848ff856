package dev.resolute.testing;

/** The extension with the default embedded Resolute server. */
@ResoluteTest
class EmbeddedResoluteExtensionIT extends ResoluteExtensionITBase {}
