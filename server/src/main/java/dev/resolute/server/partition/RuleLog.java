package dev.resolute.server.partition;

import dev.resolute.server.api.DispatchException;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.RuleBatch;
import java.util.concurrent.CompletableFuture;

/**
 * Appends rule batches (the admin's {@code PUT /limits/rules} and {@code bulk-delete}) to every
 * partition. Every partition keeps its own copy of the rule book as replicated state, so each
 * applies every batch, in the same order: batches are appended one at a time (under this object's
 * lock, partitions in ascending order), so no two batches reach two partitions in different orders
 * and every partition's book — versions and preconditions included — stays the same. The answer
 * comes from partition 0's apply (a failed precondition fails the batch there and, identically,
 * everywhere else).
 */
public final class RuleLog {
  private final Appender appender;
  private final Partitioning partitioning;
  private final Replies replies;

  public RuleLog(Appender appender, Partitioning partitioning, Replies replies) {
    this.appender = appender;
    this.partitioning = partitioning;
    this.replies = replies;
  }

  /**
   * Appends {@code batch} (its time set here) to every partition; completes once partition 0 has
   * applied it, exceptionally with a {@link DispatchException} (409 or 422) when it was refused.
   */
  public synchronized CompletableFuture<Void> apply(RuleBatch batch) {
    RuleBatch timed = batch.toBuilder().setAtMillis(appender.now()).build();
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    for (int p = 0; p < partitioning.count(); p++) {
      RuleBatch b =
          p == 0 ? timed.toBuilder().setIngressRequest(replies.register(answer)).build() : timed;
      CompletableFuture<Long> appended =
          appender.append(p, Envelope.newBuilder().setRuleBatch(b).build());
      if (p == 0) {
        appended.whenComplete(
            (lsn, err) -> {
              if (err != null) {
                answer.completeExceptionally(
                    new DispatchException(503, "cannot append to the log: " + err.getMessage()));
              }
            });
      }
    }
    return answer.thenAccept(Answer::done);
  }
}
