package dev.resolute.chaos.services;

import dev.restate.sdk.Context;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Service;

/** One journaled side effect: the answer is the token of the execution that was journaled. */
@Service
public class Steps {
  @Handler
  public String step(Context ctx, String id) {
    return ctx.run("effect", String.class, () -> SideEffects.record("step", id));
  }
}
