package dev.resolute.sdk;

import dev.resolute.common.Output;

/** A workflow durable promise, seen by a waiter. */
public interface DurablePromise<T> {

  /** A future completed when the promise is resolved or rejected. */
  DurableFuture<T> future();

  /** Same as {@link #future()} (the older name). */
  default DurableFuture<T> awaitable() {
    return future();
  }

  /**
   * The value if it is already resolved, else not ready (waits for the server's answer).
   *
   * @throws dev.resolute.sdk.common.TerminalException when the promise was rejected
   */
  Output<T> peek();
}
