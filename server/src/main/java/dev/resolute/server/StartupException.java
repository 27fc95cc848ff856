package dev.resolute.server;

import dev.resolute.server.api.ErrorCode;

/**
 * A start-up failure with a known cause and Restate's code for it (RT0004: a port cannot be bound;
 * RT0005: the store is locked by another process). {@link Main} prints it as one line, {@code
 * [CODE] cannot start: message}, without a stack trace: the message says all there is to know.
 */
final class StartupException extends RuntimeException {
  private final ErrorCode code;

  StartupException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  ErrorCode code() {
    return code;
  }

  /** {@code [RT0004] cannot start: …}. */
  String line() {
    return code.tag() + " cannot start: " + getMessage();
  }
}
