package dev.resolute.sdk;

import dev.resolute.common.Output;

/** A handle on an invocation (e.g. one started with {@code ctx.send}). */
public interface InvocationHandle<R> {

  /** The id of the invocation (may wait for the server to assign it). */
  String invocationId();

  /** Cancels the invocation. */
  void cancel();

  /** Waits for the invocation to finish and returns its result. */
  DurableFuture<R> attach();

  /** The output if the invocation has finished, else not ready (waits for the server's answer). */
  Output<R> getOutput();
}
