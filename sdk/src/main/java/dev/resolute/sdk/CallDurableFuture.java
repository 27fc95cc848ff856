package dev.resolute.sdk;

/** The future of a call: also gives the callee's invocation id and can cancel the callee. */
public interface CallDurableFuture<T> extends DurableFuture<T> {

  /** The callee's invocation id (waits until the server has assigned it). */
  String invocationId();

  /** Cancels the callee; this future then completes with the callee's cancellation failure. */
  void cancel();
}
