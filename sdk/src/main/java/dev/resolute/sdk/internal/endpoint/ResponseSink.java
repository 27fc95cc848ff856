package dev.resolute.sdk.internal.endpoint;

/** The response body of an invocation, as the transport sees it. Thread-safe. */
public interface ResponseSink {
  /** Writes bytes (ownership passes to the sink). */
  void write(byte[] bytes);

  /** Ends the response body. */
  void end();
}
