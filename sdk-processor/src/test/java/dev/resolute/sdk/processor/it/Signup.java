package dev.resolute.sdk.processor.it;

import dev.resolute.sdk.SharedWorkflowContext;
import dev.resolute.sdk.WorkflowContext;
import dev.resolute.sdk.annotation.Shared;
import dev.resolute.sdk.annotation.Workflow;
import dev.resolute.sdk.common.DurablePromiseKey;

/** Waits for a confirmation code. */
@Workflow
public class Signup {
  static final DurablePromiseKey<String> CODE = DurablePromiseKey.of("code", String.class);

  @Workflow
  public String run(WorkflowContext ctx, String email) {
    return email + " confirmed with " + ctx.promise(CODE).future().await();
  }

  @Shared
  public void confirm(SharedWorkflowContext ctx, String code) {
    ctx.promiseHandle(CODE).resolve(code);
  }
}
