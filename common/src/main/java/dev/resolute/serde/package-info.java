/**
 * Serialization: {@link dev.resolute.serde.Serde}, {@link dev.resolute.serde.TypeTag}, {@link
 * dev.resolute.serde.TypeRef} and {@link dev.resolute.serde.SerdeFactory}. Public API.
 */
package dev.resolute.serde;
