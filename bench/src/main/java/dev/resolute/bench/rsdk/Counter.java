package dev.resolute.bench.rsdk;

import dev.resolute.sdk.ObjectContext;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.VirtualObject;
import dev.resolute.sdk.common.StateKey;

/** A keyed counter: one state read and one state write per add, exclusive per key. */
@VirtualObject
public class Counter {
  private static final StateKey<Long> TOTAL = StateKey.of("total", Long.class);

  @Handler
  public long add(ObjectContext ctx, long delta) {
    long next = ctx.get(TOTAL).orElse(0L) + delta;
    ctx.set(TOTAL, next);
    return next;
  }

  /** Exclusive on purpose: it queues behind every pending add of its key, which drains them. */
  @Handler
  public long get(ObjectContext ctx) {
    return ctx.get(TOTAL).orElse(0L);
  }
}
