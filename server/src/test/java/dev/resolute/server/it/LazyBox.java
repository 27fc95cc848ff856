package dev.resolute.server.it;

import dev.restate.sdk.ObjectContext;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.VirtualObject;
import dev.restate.sdk.common.StateKey;

/**
 * Virtual object registered with {@code enableLazyState}: every read is a GetLazyState round trip.
 */
@VirtualObject
public class LazyBox {
  static final StateKey<String> V = StateKey.of("v", String.class);

  @Handler
  public String swap(ObjectContext ctx, String value) {
    String old = ctx.get(V).orElse("<none>");
    ctx.set(V, value);
    return old + "|" + String.join(",", ctx.stateKeys());
  }
}
