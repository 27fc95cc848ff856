package dev.resolute.client;

import java.nio.charset.StandardCharsets;

/**
 * The ingress answered with a non-2xx status (including a handler's terminal failure, whose code
 * becomes the status), or the answer could not be read or decoded ({@code statusCode} is then the
 * received status, or {@code -1} when no response arrived).
 */
public class IngressException extends RuntimeException {
  private final String requestMethod;
  private final String requestURI;
  private final int statusCode;
  private final byte[] responseBody;

  public IngressException(
      String message,
      String requestMethod,
      String requestURI,
      int statusCode,
      byte[] responseBody,
      Throwable cause) {
    super(message, cause);
    this.requestMethod = requestMethod;
    this.requestURI = requestURI;
    this.statusCode = statusCode;
    this.responseBody = responseBody == null ? new byte[0] : responseBody;
  }

  public IngressException(String message, Throwable cause) {
    this(message, null, null, -1, null, cause);
  }

  /** The HTTP status, or {@code -1} when there was no response. */
  public int getStatusCode() {
    return statusCode;
  }

  /** The raw response body (a copy; empty when none). */
  public byte[] getResponseBody() {
    return responseBody.clone();
  }

  public String getRequestMethod() {
    return requestMethod;
  }

  public String getRequestURI() {
    return requestURI;
  }

  @Override
  public String getMessage() {
    StringBuilder sb =
        new StringBuilder("[").append(requestMethod).append(' ').append(requestURI).append("] ");
    if (statusCode >= 0) {
      sb.append("Status ").append(statusCode).append(": ");
    }
    sb.append(super.getMessage());
    if (responseBody.length > 0
        && !super.getMessage().contains(new String(responseBody, StandardCharsets.UTF_8))) {
      String body = new String(responseBody, StandardCharsets.UTF_8);
      sb.append(" (body: ")
          .append(body.length() > 500 ? body.substring(0, 500) + "…" : body)
          .append(')');
    }
    return sb.toString();
  }
}
