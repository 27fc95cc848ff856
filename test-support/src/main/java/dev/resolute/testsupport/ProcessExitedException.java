package dev.resolute.testsupport;

/**
 * A launched process exited while a test waited for it to become ready; the message holds the tail
 * of its log.
 */
public final class ProcessExitedException extends IllegalStateException {
  public ProcessExitedException(String message) {
    super(message);
  }
}
