package dev.resolute.server.api;

/** The result of a completed invocation (or of an awakeable/promise): a value or a terminal failure. */
public sealed interface Outcome {
  record Success(byte[] value) implements Outcome {}

  record Failure(int code, String message) implements Outcome {}

  static Outcome success(byte[] value) {
    return new Success(value);
  }

  static Outcome failure(int code, String message) {
    return new Failure(code, message);
  }
}
