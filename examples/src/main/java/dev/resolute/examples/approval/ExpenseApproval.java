package dev.resolute.examples.approval;

import dev.resolute.examples.mailbox.Mailboxes;
import dev.resolute.sdk.Awakeable;
import dev.resolute.sdk.Context;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.Service;
import dev.resolute.sdk.common.TerminalException;

/**
 * Human in the loop: a large expense waits on an awakeable whose id goes to the reviewers' mailbox
 * ({@code Mailbox/review-<expense id>}). The reviewer answers through the ingress: {@code POST
 * /restate/awakeables/<id>/resolve} with a {@link Decision} as JSON, or {@code POST
 * /restate/awakeables/<id>/reject} with a reason as text. The invocation may suspend while it
 * waits; nothing runs meanwhile.
 */
@Service
public class ExpenseApproval {
  public static final long AUTO_APPROVE_LIMIT_CENTS = 100_00;
  public static final String REVIEW_PREFIX = "please review, awakeable=";

  @Handler
  public String submit(Context ctx, Expense expense) {
    if (expense.amountCents() <= AUTO_APPROVE_LIMIT_CENTS) {
      return "auto-approved " + expense.id();
    }
    Awakeable<Decision> review = ctx.awakeable(Decision.class);
    Mailboxes.deliver(ctx, reviewMailbox(expense.id()), REVIEW_PREFIX + review.id());
    try {
      Decision d = review.await();
      return (d.approved() ? "approved " : "declined ") + expense.id() + " by " + d.reviewer();
    } catch (TerminalException rejected) {
      return "rejected " + expense.id() + ": " + rejected.getMessage();
    }
  }

  public static String reviewMailbox(String expenseId) {
    return "review-" + expenseId;
  }
}
