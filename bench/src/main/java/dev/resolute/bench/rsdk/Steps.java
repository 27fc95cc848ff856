package dev.resolute.bench.rsdk;

import dev.resolute.sdk.Context;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Service;

/** Three sequential durable steps: each ctx.run result is journaled before the next starts. */
@Service
public class Steps {
  @Handler
  public String three(Context ctx, String in) {
    String a = ctx.run("one", String.class, () -> in + "1");
    String b = ctx.run("two", String.class, () -> a + "2");
    return ctx.run("three", String.class, () -> b + "3");
  }
}
