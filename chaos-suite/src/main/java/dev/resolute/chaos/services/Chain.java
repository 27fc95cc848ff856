package dev.resolute.chaos.services;

import dev.restate.sdk.Context;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Service;
import java.time.Duration;

/**
 * A call, a one-way send, a durable sleep and a journaled side effect in one invocation. The input
 * holds the op id, a counter key K and a sleep in ms, separated by spaces: it adds 1 to the Tally
 * call-K (awaited) and to the Tally send-K (one-way), sleeps, records the chain step and answers
 * its token.
 */
@Service
public class Chain {
  @Handler
  public String chain(Context ctx, String spec) {
    String[] f = spec.split(" ");
    TallyClient.fromContext(ctx, "call-" + f[1]).add(1L).await();
    TallyClient.fromContext(ctx, "send-" + f[1]).send().add(1L);
    ctx.sleep(Duration.ofMillis(Long.parseLong(f[2])));
    return ctx.run("after-sleep", String.class, () -> SideEffects.record("chain", f[0]));
  }
}
