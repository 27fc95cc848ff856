package dev.resolute.client;

import java.util.Objects;

/** A decoded ingress response: status, headers and the typed body. */
public final class Response<Res> implements ResponseHead {
  private final int statusCode;
  private final Headers headers;
  private final Res response;

  public Response(int statusCode, Headers headers, Res response) {
    this.statusCode = statusCode;
    this.headers = headers;
    this.response = response;
  }

  @Override
  public int statusCode() {
    return statusCode;
  }

  @Override
  public Headers headers() {
    return headers;
  }

  /** The decoded body ({@code null} for {@code Void}). */
  public Res response() {
    return response;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Response<?> r
        && statusCode == r.statusCode
        && Objects.equals(response, r.response);
  }

  @Override
  public int hashCode() {
    return Objects.hash(statusCode, response);
  }

  @Override
  public String toString() {
    return "Response[" + statusCode + ", " + response + "]";
  }
}
