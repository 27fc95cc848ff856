package dev.resolute.server.api;

/**
 * The result of a completed invocation (or of an awakeable/promise): a value or a terminal failure.
 */
public sealed interface Outcome {
  record Success(byte[] value) implements Outcome {}

  /**
   * @param stacktrace null unless the invocation was killed after its retries ran out
   */
  record Failure(int code, String message, String stacktrace) implements Outcome {
    public Failure(int code, String message) {
      this(code, message, null);
    }
  }

  static Outcome success(byte[] value) {
    return new Success(value);
  }

  static Outcome failure(int code, String message) {
    return new Failure(code, message);
  }
}
