package dev.resolute.server.transport;

import java.util.List;
import java.util.Map;

/**
 * Callbacks of one HTTP exchange with a deployment. Called on a Netty event-loop thread, in order;
 * implementations must not block. Exactly one of {@link #onEnd()} / {@link #onError(Throwable)} is
 * the last call.
 */
public interface ExchangeListener {
  void onResponseHeaders(int status, List<Map.Entry<String, String>> headers);

  /** A chunk of the response body (the array is owned by the listener). */
  void onData(byte[] chunk);

  void onEnd();

  void onError(Throwable cause);
}
