package dev.resolute.common;

import dev.resolute.serde.TypeTag;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A mutable {@link Request}: set options with the fluent methods; {@link #build()} freezes a copy.
 */
public final class RequestBuilder<Req, Res> implements Request<Req, Res> {
  private final Target target;
  private final TypeTag<Req> reqTypeTag;
  private final TypeTag<Res> resTypeTag;
  private final Req request;
  private String idempotencyKey;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private boolean frozen;

  RequestBuilder(Target target, TypeTag<Req> reqTypeTag, TypeTag<Res> resTypeTag, Req request) {
    this.target = Objects.requireNonNull(target, "target");
    this.reqTypeTag = Objects.requireNonNull(reqTypeTag, "request type tag");
    this.resTypeTag = Objects.requireNonNull(resTypeTag, "response type tag");
    this.request = request;
  }

  public RequestBuilder<Req, Res> idempotencyKey(String idempotencyKey) {
    checkMutable();
    if (idempotencyKey != null && idempotencyKey.isEmpty()) {
      throw new IllegalArgumentException("the idempotency key must not be empty");
    }
    this.idempotencyKey = idempotencyKey;
    return this;
  }

  /** Same as {@link #idempotencyKey(String)} (bean-style name). */
  public RequestBuilder<Req, Res> setIdempotencyKey(String idempotencyKey) {
    return idempotencyKey(idempotencyKey);
  }

  /** Replaces all headers. */
  public RequestBuilder<Req, Res> setHeaders(Map<String, String> newHeaders) {
    checkMutable();
    headers.clear();
    if (newHeaders != null) {
      headers.putAll(newHeaders);
    }
    return this;
  }

  public RequestBuilder<Req, Res> header(String key, String value) {
    checkMutable();
    headers.put(key, value);
    return this;
  }

  public RequestBuilder<Req, Res> headers(Map<String, String> newHeaders) {
    checkMutable();
    headers.putAll(newHeaders);
    return this;
  }

  /** An immutable copy of this request. */
  public Request<Req, Res> build() {
    RequestBuilder<Req, Res> copy = new RequestBuilder<>(target, reqTypeTag, resTypeTag, request);
    copy.idempotencyKey = idempotencyKey;
    copy.headers.putAll(headers);
    copy.frozen = true;
    return copy;
  }

  private void checkMutable() {
    if (frozen) {
      throw new IllegalStateException("this request was built and can no longer be changed");
    }
  }

  @Override
  public Target getTarget() {
    return target;
  }

  @Override
  public TypeTag<Req> getRequestTypeTag() {
    return reqTypeTag;
  }

  @Override
  public TypeTag<Res> getResponseTypeTag() {
    return resTypeTag;
  }

  @Override
  public Req getRequest() {
    return request;
  }

  @Override
  public String getIdempotencyKey() {
    return idempotencyKey;
  }

  @Override
  public Map<String, String> getHeaders() {
    return Collections.unmodifiableMap(headers);
  }

  @Override
  public String toString() {
    return "Request["
        + target
        + (idempotencyKey == null ? "" : ", idempotencyKey=" + idempotencyKey)
        + "]";
  }
}
