package dev.resolute.sdk;

import dev.resolute.common.function.ThrowingFunction;
import dev.resolute.sdk.common.TerminalException;
import dev.resolute.sdk.internal.statemachine.Futures;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The result of a journaled asynchronous action. {@link #await()} blocks the handler until the
 * result is known; the invocation may suspend meanwhile. Which of several futures completed first
 * is decided by journal order, so combinators are deterministic on replay.
 */
public interface DurableFuture<T> {

  /**
   * Waits for the result.
   *
   * @throws TerminalException when the action failed terminally or the invocation was cancelled
   */
  T await() throws TerminalException;

  /**
   * Waits at most {@code timeout} (a durable timer).
   *
   * @throws dev.resolute.sdk.common.TimeoutException when the timer fires first
   */
  T await(Duration timeout) throws TerminalException;

  /** A future of {@code mapper(result)}; the mapper runs on the handler thread when awaited. */
  <U> DurableFuture<U> map(ThrowingFunction<T, U> mapper);

  /**
   * A future of {@code mapper(result)} on success and {@code failureMapper(failure)} on a terminal
   * failure (which may return a value, or throw another exception).
   */
  <U> DurableFuture<U> map(
      ThrowingFunction<T, U> mapper, ThrowingFunction<TerminalException, U> failureMapper);

  /**
   * A future that turns a terminal failure into {@code failureMapper(failure)}; success is
   * unchanged.
   */
  DurableFuture<T> mapFailure(ThrowingFunction<TerminalException, T> failureMapper);

  /**
   * A future that fails with {@link dev.resolute.sdk.common.TimeoutException} after {@code
   * timeout}.
   */
  DurableFuture<T> withTimeout(Duration timeout);

  /** Completes when all futures succeeded, or fails with the first failure. */
  static DurableFuture<Void> all(DurableFuture<?> first, DurableFuture<?>... others) {
    DurableFuture<?>[] all = new DurableFuture<?>[others.length + 1];
    all[0] = first;
    System.arraycopy(others, 0, all, 1, others.length);
    return all(Arrays.asList(all));
  }

  static DurableFuture<Void> all(List<? extends DurableFuture<?>> futures) {
    return Futures.all(futures);
  }

  /** Completes with the index of the first future to complete (successfully or not). */
  static DurableFuture<Integer> any(DurableFuture<?> first, DurableFuture<?>... others) {
    DurableFuture<?>[] all = new DurableFuture<?>[others.length + 1];
    all[0] = first;
    System.arraycopy(others, 0, all, 1, others.length);
    return any(Arrays.asList(all));
  }

  static DurableFuture<Integer> any(List<? extends DurableFuture<?>> futures) {
    return Futures.any(futures);
  }
}
