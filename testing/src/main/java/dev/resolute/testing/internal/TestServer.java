package dev.resolute.testing.internal;

import java.net.URI;

/**
 * A running Restate-compatible server a test talks to. {@link #close()} stops it and deletes its
 * data.
 */
public interface TestServer extends AutoCloseable {
  URI ingressUri();

  URI adminUri();

  /** Human-readable name for logs, e.g. {@code "resolute (embedded)"}. */
  String description();

  @Override
  void close();
}
