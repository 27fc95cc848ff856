package dev.resolute.sdk;

import dev.resolute.sdk.common.TerminalException;

/** Completes a workflow durable promise. */
public interface DurablePromiseHandle<T> {

  /**
   * @throws TerminalException (409) when the promise was already completed
   */
  void resolve(T payload) throws TerminalException;

  /**
   * @throws TerminalException (409) when the promise was already completed
   */
  void reject(String reason) throws TerminalException;
}
