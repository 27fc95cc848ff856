package dev.resolute.sdk.common;

import java.util.Map;

/**
 * A failure that must not be retried: it completes the invocation (or the journaled action) with an
 * error carrying an HTTP-like status {@code code}. Every other exception thrown by a handler is
 * retried.
 */
public class TerminalException extends RuntimeException {
  public static final int BAD_REQUEST_CODE = 400;
  public static final int NOT_FOUND_CODE = 404;
  public static final int CONFLICT_CODE = 409;

  /** Code of the error a cancelled invocation sees (409, as Restate). */
  public static final int CANCELLED_CODE = 409;

  public static final int ABORTED_CODE = 409;
  public static final int INTERNAL_SERVER_ERROR_CODE = 500;

  private final int code;
  private final Map<String, String> metadata;

  public TerminalException() {
    this(INTERNAL_SERVER_ERROR_CODE, "Internal Server Error");
  }

  public TerminalException(String message) {
    this(INTERNAL_SERVER_ERROR_CODE, message);
  }

  public TerminalException(int code) {
    this(code, "Terminal error " + code);
  }

  public TerminalException(int code, String message) {
    this(code, message, Map.of());
  }

  /** With failure metadata (protocol V6+). */
  public TerminalException(int code, String message, Map<String, String> metadata) {
    super(message);
    this.code = code;
    this.metadata = Map.copyOf(metadata);
  }

  public int getCode() {
    return code;
  }

  public Map<String, String> getMetadata() {
    return metadata;
  }
}
