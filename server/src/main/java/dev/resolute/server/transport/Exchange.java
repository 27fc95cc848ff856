package dev.resolute.server.transport;

/** The request side of a streaming exchange. Thread-safe; calls after end/cancel are ignored. */
public interface Exchange {
  /** Sends a chunk of the request body (flushed promptly). */
  void write(byte[] data);

  /** Ends the request body (END_STREAM / last chunk). */
  void end();

  /** Resets the stream (HTTP/2 RST_STREAM CANCEL) or closes the HTTP/1.1 connection. */
  void cancel();
}
