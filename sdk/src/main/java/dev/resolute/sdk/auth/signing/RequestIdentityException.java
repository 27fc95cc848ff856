package dev.resolute.sdk.auth.signing;

/**
 * Thrown when a request's identity cannot be verified; the endpoint answers 401 with the message.
 */
public final class RequestIdentityException extends RuntimeException {
  public RequestIdentityException(String message) {
    super(message);
  }

  public RequestIdentityException(String message, Throwable cause) {
    super(message, cause);
  }
}
