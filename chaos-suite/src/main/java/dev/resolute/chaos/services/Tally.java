package dev.resolute.chaos.services;

import dev.restate.sdk.ObjectContext;
import dev.restate.sdk.SharedObjectContext;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Shared;
import dev.restate.sdk.annotation.VirtualObject;
import dev.restate.sdk.common.StateKey;

/** A counter per key: each applied {@code add} is visible exactly once in {@code get}. */
@VirtualObject
public class Tally {
  private static final StateKey<Long> TOTAL = StateKey.of("total", Long.class);

  @Handler
  public long add(ObjectContext ctx, long delta) {
    long next = ctx.get(TOTAL).orElse(0L) + delta;
    ctx.set(TOTAL, next);
    return next;
  }

  @Shared
  @Handler
  public long get(SharedObjectContext ctx) {
    return ctx.get(TOTAL).orElse(0L);
  }

  /** Exclusive: answers only once the key's lock is free, so a held lock shows as a timeout. */
  @Handler
  public String ping(ObjectContext ctx) {
    return "pong";
  }
}
