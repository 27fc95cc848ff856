package dev.resolute.server.api;

import dev.resolute.protocol.id.AwakeableId;
import dev.resolute.protocol.id.InvocationId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the ingress and admin APIs ask of the durable core. Every returned future completes only
 * after the records behind it are durable. Failures complete the future exceptionally with a {@link
 * DispatchException} carrying an HTTP status and message.
 */
public interface Dispatcher {
  /** One-way: durably enqueue; completes once the invocation record is committed. */
  CompletableFuture<SubmitResult> submit(InvocationRequest request);

  /** Request-response: enqueue and complete with the invocation's result. */
  CompletableFuture<InvocationResult> call(InvocationRequest request);

  /** Resolve or reject an awakeable ({@code POST /restate/awakeables/{id}/resolve|reject}). */
  CompletableFuture<Void> completeAwakeable(AwakeableId id, Outcome result);

  /** Wait for the invocation to complete and return its result (attach). */
  CompletableFuture<InvocationResult> attach(InvocationId id);

  /**
   * The result if the invocation completed; empty while it runs. Unknown id: DispatchException 404.
   */
  CompletableFuture<Optional<InvocationResult>> output(InvocationId id);

  /**
   * Graceful cancel (admin PATCH /invocations/{id}/cancel). Completes with true when the invocation
   * was cancelled at once (it had not started: scheduled or inboxed), false when the cancel signal
   * was delivered to it.
   */
  CompletableFuture<Boolean> cancel(InvocationId id);

  /** Hard kill (admin PATCH /invocations/{id}/kill). */
  CompletableFuture<Void> kill(InvocationId id);

  /** The invocation-management operations besides cancel and kill. */
  enum Management {
    RESUME,
    PAUSE,
    PURGE,
    PURGE_JOURNAL
  }

  /**
   * Admin {@code PATCH /invocations/{id}/resume|pause|purge|purge-journal}; completes with the
   * success status (200, or 202 when a pause was started) or a {@link DispatchException}.
   */
  default CompletableFuture<Integer> manage(InvocationId id, Management op) {
    return CompletableFuture.failedFuture(
        new DispatchException(501, op + " is not supported by this dispatcher"));
  }
}
