package dev.resolute.sdk.common;

/**
 * Thrown by {@code DurableFuture.await(Duration)} when the (durable) timeout fires first. Code 408.
 */
public class TimeoutException extends TerminalException {
  public static final int TIMEOUT_CODE = 408;

  public TimeoutException(String message) {
    super(TIMEOUT_CODE, message);
  }
}
