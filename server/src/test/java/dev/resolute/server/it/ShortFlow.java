package dev.resolute.server.it;

import dev.restate.common.Output;
import dev.restate.sdk.SharedWorkflowContext;
import dev.restate.sdk.WorkflowContext;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Shared;
import dev.restate.sdk.annotation.Workflow;
import dev.restate.sdk.common.DurablePromiseKey;
import dev.restate.sdk.common.StateKey;

/** Workflow registered with a workflow retention of 2 seconds. */
@Workflow
public class ShortFlow {
  static final DurablePromiseKey<String> DONE = DurablePromiseKey.of("done", String.class);
  static final StateKey<String> STATUS = StateKey.of("status", String.class);

  @Workflow
  public String run(WorkflowContext ctx, String name) {
    ctx.run("count", () -> TestServices.mark("shortflow-" + ctx.key()));
    ctx.set(STATUS, "ran");
    ctx.promiseHandle(DONE).resolve(name);
    return "done " + name;
  }

  @Shared
  @Handler
  public String inspect(SharedWorkflowContext ctx) {
    Output<String> o = ctx.promise(DONE).peek();
    return (o.isReady() ? o.getValue() : "not ready") + "|" + ctx.get(STATUS).orElse("none");
  }
}
