/** The default JSON serdes, based on Jackson. Public API. */
package dev.resolute.serde.jackson;
