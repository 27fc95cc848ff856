package dev.resolute.examples.signup;

import dev.resolute.examples.mailbox.Mailboxes;
import dev.resolute.sdk.Select;
import dev.resolute.sdk.SharedWorkflowContext;
import dev.resolute.sdk.WorkflowContext;
import dev.resolute.sdk.annotation.Shared;
import dev.resolute.sdk.annotation.Workflow;
import dev.resolute.sdk.common.DurablePromiseKey;
import dev.resolute.sdk.common.StateKey;
import dev.resolute.sdk.common.TerminalException;
import java.time.Duration;

/**
 * User sign-up with e-mail verification. {@code run} mails a link with a secret to the user's
 * {@code Mailbox}, then races the {@code link-clicked} durable promise against a timer. The shared
 * {@code click} handler — called when the user opens the link — completes the promise. Outcomes:
 * {@code verified}, {@code wrong-secret}, {@code timed-out}, {@code aborted: <reason>} (the shared
 * {@code abort} rejects the promise); {@code status} reads them.
 */
@Workflow
public class UserSignup {
  static final DurablePromiseKey<String> LINK_CLICKED =
      DurablePromiseKey.of("link-clicked", String.class);
  static final StateKey<String> STATUS = StateKey.of("status", String.class);

  /** The mail text; the secret follows the prefix. */
  public static final String LINK_PREFIX = "verify your address: secret=";

  @Workflow
  public String run(WorkflowContext ctx, SignupRequest request) {
    String secret = ctx.random().nextUUID().toString();
    ctx.set(STATUS, "waiting-for-click");
    Mailboxes.deliver(ctx, request.email(), LINK_PREFIX + secret);
    String outcome;
    try {
      outcome =
          Select.<String>select()
              .when(
                  ctx.promise(LINK_CLICKED).future(),
                  clicked -> clicked.equals(secret) ? "verified" : "wrong-secret")
              .when(
                  ctx.timer("link-valid", Duration.ofMillis(request.linkValidMillis())),
                  expired -> "timed-out")
              .await();
    } catch (TerminalException rejected) {
      outcome = "aborted: " + rejected.getMessage();
    }
    ctx.set(STATUS, outcome);
    return outcome;
  }

  @Shared
  public String click(SharedWorkflowContext ctx, String secret) {
    ctx.promiseHandle(LINK_CLICKED).resolve(secret);
    return "thanks";
  }

  /**
   * The user withdraws: rejects the promise, so {@code run} ends with {@code aborted: <reason>}.
   */
  @Shared
  public String abort(SharedWorkflowContext ctx, String reason) {
    ctx.promiseHandle(LINK_CLICKED).reject(reason);
    return "aborted";
  }

  @Shared
  public String status(SharedWorkflowContext ctx) {
    return ctx.get(STATUS).orElse("unknown");
  }
}
