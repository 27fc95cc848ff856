package dev.resolute.server.admin;

import dev.restate.sdk.SharedWorkflowContext;
import dev.restate.sdk.WorkflowContext;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.Shared;
import dev.restate.sdk.annotation.Workflow;

/** Official-SDK (2.4.0) test workflow used by the admin ITs. */
@Workflow
public class AdmFlow {
  @Workflow
  public String run(WorkflowContext ctx, String input) {
    return input;
  }

  @Shared
  @Handler
  public void signal(SharedWorkflowContext ctx, String value) {}
}
