package dev.resolute.server.it;

import dev.restate.common.Output;
import dev.restate.sdk.DurableFuture;
import dev.restate.sdk.SharedWorkflowContext;
import dev.restate.sdk.WorkflowContext;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Shared;
import dev.restate.sdk.annotation.Workflow;
import dev.restate.sdk.common.DurablePromiseKey;
import dev.restate.sdk.common.StateKey;

/** Workflow written with the official Restate Java SDK 2.4.0: run waits for a durable promise. */
@Workflow
public class Signup {
  static final DurablePromiseKey<String> APPROVAL = DurablePromiseKey.of("approval", String.class);
  static final StateKey<String> STATUS = StateKey.of("status", String.class);

  @Workflow
  public String run(WorkflowContext ctx, String name) {
    ctx.run("started", () -> TestServices.mark("wf-started-" + ctx.key()));
    ctx.set(STATUS, "waiting");
    String who = ctx.promise(APPROVAL).future().await();
    ctx.set(STATUS, "approved");
    return name + " approved by " + who;
  }

  @Shared
  @Handler
  public String approve(SharedWorkflowContext ctx, String who) {
    ctx.promiseHandle(APPROVAL).resolve(who);
    return "ok";
  }

  @Shared
  @Handler
  public String reject(SharedWorkflowContext ctx, String why) {
    ctx.promiseHandle(APPROVAL).reject(why);
    return "rejected";
  }

  @Shared
  @Handler
  public String peek(SharedWorkflowContext ctx) {
    Output<String> o = ctx.promise(APPROVAL).peek();
    return o.isReady() ? "ready:" + o.getValue() : "not ready";
  }

  @Shared
  @Handler
  public String await(SharedWorkflowContext ctx) {
    DurableFuture<String> approval = ctx.promise(APPROVAL).future();
    // a run's result is acknowledged after every earlier command was journaled: from the marker on,
    // the
    // server has recorded the GetPromise (the marker is written again on replay)
    ctx.run("awaiting", () -> {});
    TestServices.mark("awaiting-" + ctx.key());
    return "awaited:" + approval.await();
  }

  @Shared
  @Handler
  public String status(SharedWorkflowContext ctx) {
    return ctx.get(STATUS).orElse("none");
  }
}
