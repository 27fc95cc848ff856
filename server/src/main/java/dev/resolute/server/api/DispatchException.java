package dev.resolute.server.api;

/** A request the core rejects, with the HTTP status the edge should answer. */
public class DispatchException extends RuntimeException {
  private final int status;

  public DispatchException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
