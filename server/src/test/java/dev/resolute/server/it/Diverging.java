package dev.resolute.server.it;

import dev.restate.sdk.ObjectContext;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.VirtualObject;
import dev.restate.sdk.common.StateKey;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Virtual object written with the official Restate Java SDK 2.4.0 whose replay diverges from its
 * journal: odd executions (per key, counted in this process) set state {@code a}, even ones {@code
 * b}. The first execution touches Counter/{key} once, sets {@code a} and suspends in a sleep (the
 * handler is registered with a short inactivity timeout); its replay sets {@code b} where the
 * journal has {@code a}, a journal mismatch (570). Only an execution that gets past the sleep
 * touches the counter a second time.
 */
@VirtualObject
public class Diverging {
  static final ConcurrentHashMap<String, Integer> EXECUTIONS = new ConcurrentHashMap<>();

  @Handler
  public String setDifferentKey(ObjectContext ctx) {
    boolean odd = EXECUTIONS.merge(ctx.key(), 1, Integer::sum) % 2 == 1;
    CounterClient.fromContext(ctx, ctx.key()).add(1).await();
    if (odd) {
      ctx.set(StateKey.of("a", String.class), "my-state");
    } else {
      ctx.set(StateKey.of("b", String.class), "my-state");
    }
    ctx.sleep(Duration.ofSeconds(1));
    CounterClient.fromContext(ctx, ctx.key()).add(1).await();
    return "completed";
  }
}
