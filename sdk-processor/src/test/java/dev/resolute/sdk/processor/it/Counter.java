package dev.resolute.sdk.processor.it;

import dev.resolute.sdk.ObjectContext;
import dev.resolute.sdk.SharedObjectContext;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Shared;
import dev.resolute.sdk.annotation.VirtualObject;
import dev.resolute.sdk.common.StateKey;

/** A counter per key. */
@VirtualObject
public class Counter {
  static final StateKey<Long> TOTAL = StateKey.of("total", Long.class);

  @Handler
  public long add(ObjectContext ctx, long delta) {
    long n = ctx.get(TOTAL).orElse(0L) + delta;
    ctx.set(TOTAL, n);
    return n;
  }

  @Shared
  public long get(SharedObjectContext ctx) {
    return ctx.get(TOTAL).orElse(0L);
  }
}
