package dev.resolute.sdk;

/** The future of a call: also gives the callee's invocation id. */
public interface CallDurableFuture<T> extends DurableFuture<T> {

  /** The callee's invocation id (waits for it). */
  DurableFuture<String> invocationId();
}
