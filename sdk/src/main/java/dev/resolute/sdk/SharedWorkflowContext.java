package dev.resolute.sdk;

import dev.resolute.sdk.common.DurablePromiseKey;

/** Context of a shared workflow handler: reads state, awaits and completes durable promises. */
public interface SharedWorkflowContext extends SharedObjectContext {

  <T> DurablePromise<T> promise(DurablePromiseKey<T> key);

  <T> DurablePromiseHandle<T> promiseHandle(DurablePromiseKey<T> key);
}
