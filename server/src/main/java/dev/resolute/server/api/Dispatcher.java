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

  /**
   * Admin {@code PATCH /invocations/{id}/resume?deployment=}: {@code deployment} is null or {@code
   * "keep"} (stay on the pinned deployment), {@code "latest"} (the service's current one) or a
   * deployment id, {@code deploymentKnown} whether that id is registered. Completes with 200 or a
   * {@link DispatchException}.
   */
  default CompletableFuture<Integer> resume(
      InvocationId id, String deployment, boolean deploymentKnown) {
    return manage(id, Management.RESUME);
  }

  /**
   * Admin {@code PATCH /invocations/{id}/restart-as-new}: a new invocation {@code newId} (same
   * partition key) of the same target with the same input; completes once it is durable.
   */
  default CompletableFuture<Void> restartAsNew(InvocationId id, InvocationId newId) {
    return CompletableFuture.failedFuture(
        new DispatchException(501, "restart-as-new is not supported by this dispatcher"));
  }

  /**
   * Admin {@code POST /services/{service}/state}: replaces all state of one object key, unless
   * {@code version} is given and differs from the current state's version (then nothing changes).
   * Completes once the request is durable.
   */
  default CompletableFuture<Void> replaceState(
      String service, String key, java.util.Map<String, byte[]> state, String version) {
    return CompletableFuture.failedFuture(
        new DispatchException(501, "state replacement is not supported by this dispatcher"));
  }
}
