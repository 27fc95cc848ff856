package dev.resolute.server.it;

import dev.restate.sdk.SharedWorkflowContext;
import dev.restate.sdk.WorkflowContext;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Shared;
import dev.restate.sdk.annotation.Workflow;
import dev.restate.sdk.common.DurablePromiseKey;

/**
 * Workflow written with the official Restate Java SDK 2.4.0 for the cluster tests: {@code run}
 * takes two {@code ctx.run} steps, waits for its promise, takes a third step and answers {@code
 * <name> approved by <who> | <journaled attempts>} (the steps as in {@link ClusterSteps}, under the
 * workflow's key).
 */
@Workflow
public class ClusterFlow {
  static final DurablePromiseKey<String> APPROVAL = DurablePromiseKey.of("approval", String.class);

  @Workflow
  public String run(WorkflowContext ctx, String name) {
    String before = ClusterSteps.runSteps(ctx, ctx.key(), 0, 2);
    String who = ctx.promise(APPROVAL).future().await();
    String after = ClusterSteps.runSteps(ctx, ctx.key(), 2, 3);
    return name + " approved by " + who + " | " + before + "," + after;
  }

  @Shared
  @Handler
  public String approve(SharedWorkflowContext ctx, String who) {
    ctx.promiseHandle(APPROVAL).resolve(who);
    return "ok";
  }
}
