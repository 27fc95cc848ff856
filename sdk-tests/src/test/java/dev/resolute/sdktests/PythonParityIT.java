package dev.resolute.sdktests;

/**
 * {@link PythonParity} with the servers reaching Hypercorn over h2c (HTTP/2 with prior knowledge,
 * the bidirectional stream protocol).
 */
class PythonParityIT extends PythonParity {}
