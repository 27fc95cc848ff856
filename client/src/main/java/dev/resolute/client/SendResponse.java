package dev.resolute.client;

import dev.resolute.common.Output;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The answer to a one-way send (or a workflow submit): whether the invocation was accepted now or
 * had been accepted before (same idempotency key / workflow id), and a handle on it.
 */
public final class SendResponse<Res> implements ResponseHead, Client.InvocationHandle<Res> {

  /** The {@code status} field of the ingress send answer. */
  public enum SendStatus {
    /** A new invocation was created. */
    ACCEPTED,
    /** An invocation with the same idempotency key or workflow id already existed. */
    PREVIOUSLY_ACCEPTED
  }

  private final int statusCode;
  private final Headers headers;
  private final SendStatus sendStatus;
  private final Client.InvocationHandle<Res> handle;

  public SendResponse(
      int statusCode, Headers headers, SendStatus sendStatus, Client.InvocationHandle<Res> handle) {
    this.statusCode = statusCode;
    this.headers = headers;
    this.sendStatus = Objects.requireNonNull(sendStatus);
    this.handle = Objects.requireNonNull(handle);
  }

  @Override
  public int statusCode() {
    return statusCode;
  }

  @Override
  public Headers headers() {
    return headers;
  }

  public SendStatus sendStatus() {
    return sendStatus;
  }

  @Override
  public String invocationId() {
    return handle.invocationId();
  }

  @Override
  public CompletableFuture<Response<Res>> attachAsync(RequestOptions options) {
    return handle.attachAsync(options);
  }

  @Override
  public CompletableFuture<Response<Output<Res>>> getOutputAsync(RequestOptions options) {
    return handle.getOutputAsync(options);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SendResponse<?> s
        && statusCode == s.statusCode
        && sendStatus == s.sendStatus
        && invocationId().equals(s.invocationId());
  }

  @Override
  public int hashCode() {
    return Objects.hash(statusCode, sendStatus, invocationId());
  }

  @Override
  public String toString() {
    return "SendResponse[" + sendStatus + ", " + invocationId() + "]";
  }
}
