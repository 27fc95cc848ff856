package dev.resolute.sdk;

import dev.resolute.common.Slice;
import java.util.Map;

/** What the server says about the current invocation. */
public interface HandlerRequest {

  /** The invocation id ({@code inv_1…}). */
  String invocationId();

  /** The request headers (as the ingress or the caller sent them). */
  Map<String, String> headers();

  /** The raw input body. */
  Slice body();

  /** The raw input body as a new array. */
  default byte[] bodyAsByteArray() {
    return body().toByteArray();
  }
}
