package dev.resolute.sdk.common;

import dev.resolute.common.Slice;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;

/**
 * What the server says about the current invocation: its id, the request headers and the raw body.
 */
public final class HandlerRequest {
  private final InvocationId invocationId;
  private final Slice body;
  private final Map<String, String> headers;

  public HandlerRequest(InvocationId invocationId, Slice body, Map<String, String> headers) {
    this.invocationId = Objects.requireNonNull(invocationId, "invocationId");
    this.body = Objects.requireNonNull(body, "body");
    this.headers = Map.copyOf(headers);
  }

  /** The invocation id ({@code toString()} gives {@code inv_1…}). */
  public InvocationId invocationId() {
    return invocationId;
  }

  /** The raw input body. */
  public Slice body() {
    return body;
  }

  /** The raw input body as a new array. */
  public byte[] bodyAsByteArray() {
    return body.toByteArray();
  }

  /** The raw input body, read-only. */
  public ByteBuffer bodyAsBodyBuffer() {
    return body.asReadOnlyByteBuffer();
  }

  /** The request headers (as the ingress or the caller sent them), unmodifiable. */
  public Map<String, String> headers() {
    return headers;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HandlerRequest r
        && invocationId.equals(r.invocationId)
        && body.equals(r.body)
        && headers.equals(r.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(invocationId, body, headers);
  }

  @Override
  public String toString() {
    return "HandlerRequest["
        + invocationId
        + ", "
        + body.readableBytes()
        + " bytes, headers="
        + headers.keySet()
        + "]";
  }
}
