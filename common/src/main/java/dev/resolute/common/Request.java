package dev.resolute.common;

import dev.resolute.serde.Serde;
import dev.resolute.serde.TypeTag;
import java.util.Map;

/**
 * A request to a handler: target, input with its type, expected output type, and options
 * (idempotency key, headers). Built with {@link #of}; the returned {@link RequestBuilder} is itself
 * a request and can be refined before use.
 */
public interface Request<Req, Res> {

  Target getTarget();

  TypeTag<Req> getRequestTypeTag();

  TypeTag<Res> getResponseTypeTag();

  Req getRequest();

  /** The idempotency key, or {@code null}. */
  String getIdempotencyKey();

  /** Extra headers, never {@code null}. */
  Map<String, String> getHeaders();

  static <Req, Res> RequestBuilder<Req, Res> of(
      Target target, TypeTag<Req> reqTypeTag, TypeTag<Res> resTypeTag, Req request) {
    return new RequestBuilder<>(target, reqTypeTag, resTypeTag, request);
  }

  /** A raw request: the bytes are sent as they are and the response is returned as bytes. */
  static RequestBuilder<byte[], byte[]> of(Target target, byte[] request) {
    return new RequestBuilder<>(target, Serde.RAW, Serde.RAW, request);
  }

  /** A copy of this request as a builder. */
  default RequestBuilder<Req, Res> toBuilder() {
    RequestBuilder<Req, Res> b =
        new RequestBuilder<>(getTarget(), getRequestTypeTag(), getResponseTypeTag(), getRequest());
    b.idempotencyKey(getIdempotencyKey());
    b.headers(getHeaders());
    return b;
  }
}
