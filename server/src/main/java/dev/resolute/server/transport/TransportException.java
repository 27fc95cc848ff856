package dev.resolute.server.transport;

import java.io.IOException;

/**
 * A failure of the HTTP transport to a deployment, classified so callers can pick an error code.
 */
public final class TransportException extends IOException {
  /** What went wrong. */
  public enum Kind {
    /** TCP connect failed or timed out (endpoint unreachable). */
    CONNECT,
    /**
     * The peer did not speak the expected HTTP version (e.g. h2c prior knowledge to an HTTP/1.1
     * server).
     */
    PROTOCOL,
    /** The connection closed before the exchange finished. */
    CLOSED,
    /** The peer reset the HTTP/2 stream. */
    RESET,
    /** The exchange did not finish in time. */
    TIMEOUT,
    /** The exchange was cancelled locally. */
    CANCELLED,
    /** The URI cannot be served by this client (e.g. https). */
    UNSUPPORTED,
    /** The response body is larger than the caller's bound (the exchange was cancelled). */
    TOO_LARGE
  }

  private final Kind kind;

  public TransportException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public TransportException(Kind kind, String message) {
    this(kind, message, null);
  }

  public Kind kind() {
    return kind;
  }

  /**
   * A TLS failure (untrusted certificate, host name mismatch, no common protocol) reported as a
   * connect failure naming the cause, or null when {@code cause} is not one.
   */
  static TransportException tlsFailure(Throwable cause) {
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof javax.net.ssl.SSLException ssl) {
        return new TransportException(
            Kind.CONNECT, "TLS handshake failed: " + ssl.getMessage(), cause);
      }
    }
    return null;
  }
}
