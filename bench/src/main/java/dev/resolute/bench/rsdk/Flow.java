package dev.resolute.bench.rsdk;

import dev.resolute.sdk.WorkflowContext;
import dev.resolute.sdk.annotation.Workflow;
import dev.resolute.sdk.common.StateKey;

/** A workflow run: one step, one state write, one output (a fresh workflow id per request). */
@Workflow
public class Flow {
  private static final StateKey<String> STATUS = StateKey.of("status", String.class);

  @Workflow
  public String run(WorkflowContext ctx, String in) {
    String r = ctx.run("step", String.class, () -> "done " + in);
    ctx.set(STATUS, r);
    return r;
  }
}
