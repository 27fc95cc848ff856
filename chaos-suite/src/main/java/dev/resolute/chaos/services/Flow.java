package dev.resolute.chaos.services;

import dev.restate.sdk.SharedWorkflowContext;
import dev.restate.sdk.WorkflowContext;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Shared;
import dev.restate.sdk.annotation.Workflow;
import dev.restate.sdk.common.DurablePromiseKey;

/**
 * A workflow that records a journaled side effect, then waits for its promise; its output joins the
 * input, the promise value and the token with colons.
 */
@Workflow
public class Flow {
  private static final DurablePromiseKey<String> GO = DurablePromiseKey.of("go", String.class);

  @Workflow
  public String run(WorkflowContext ctx, String in) {
    String token = ctx.run("start", String.class, () -> SideEffects.record("flow", ctx.key()));
    String go = ctx.promise(GO).future().await();
    return in + ":" + go + ":" + token;
  }

  @Shared
  @Handler
  public String approve(SharedWorkflowContext ctx, String value) {
    ctx.promiseHandle(GO).resolve(value);
    return "ok";
  }
}
