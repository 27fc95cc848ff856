package dev.resolute.sdk;

import dev.resolute.common.Output;

/** A workflow durable promise, seen by a waiter. */
public interface DurablePromise<T> {

  /** A future completed when the promise is resolved or rejected. */
  DurableFuture<T> future();

  /** The value if it is already resolved, else not ready. */
  DurableFuture<Output<T>> peek();
}
