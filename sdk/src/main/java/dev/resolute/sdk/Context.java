package dev.resolute.sdk;

import dev.resolute.common.Request;
import dev.resolute.common.Slice;
import dev.resolute.common.function.ThrowingRunnable;
import dev.resolute.common.function.ThrowingSupplier;
import dev.resolute.sdk.common.HandlerRequest;
import dev.resolute.sdk.common.RetryPolicy;
import dev.resolute.sdk.common.TerminalException;
import dev.resolute.serde.Serde;
import dev.resolute.serde.TypeTag;
import java.time.Duration;

/**
 * The context of a handler of a plain service; every other context extends it. Every operation is
 * journaled: on a retry it is replayed from the journal instead of being executed again.
 *
 * <p>Not thread-safe: use it only from the thread that runs the handler.
 */
public interface Context {

  /** The invocation id, headers and raw body of this invocation. */
  HandlerRequest request();

  /** Calls a handler and returns a future of its response. */
  <T, R> CallDurableFuture<R> call(Request<T, R> request);

  /** Sends a one-way message to a handler. */
  default <T, R> InvocationHandle<R> send(Request<T, R> request) {
    return send(request, null);
  }

  /** Sends a one-way message that starts after {@code delay} ({@code null} or zero: now). */
  <T, R> InvocationHandle<R> send(Request<T, R> request, Duration delay);

  /** A handle on another invocation, by id. */
  <R> InvocationHandle<R> invocationHandle(String invocationId, TypeTag<R> responseTypeTag);

  default <R> InvocationHandle<R> invocationHandle(String invocationId, Class<R> responseClass) {
    return invocationHandle(invocationId, TypeTag.of(responseClass));
  }

  default InvocationHandle<Slice> invocationHandle(String invocationId) {
    return invocationHandle(invocationId, Serde.SLICE);
  }

  /** Sleeps durably: the invocation may suspend and resume on another process. */
  default void sleep(Duration duration) {
    timer(duration).await();
  }

  /** A durable timer that completes after {@code duration}. */
  default DurableFuture<Void> timer(Duration duration) {
    return timer(null, duration);
  }

  /** A named durable timer (the name shows in the journal). */
  DurableFuture<Void> timer(String name, Duration duration);

  /**
   * Starts a durable step: {@code action} runs once, its result is journaled and returned on
   * replay. Failures other than {@link TerminalException} are retried according to {@code
   * retryPolicy} ({@code null}: the invocation's retry policy, forever).
   */
  <T> DurableFuture<T> runAsync(
      String name, TypeTag<T> typeTag, RetryPolicy retryPolicy, ThrowingSupplier<T> action);

  default <T> DurableFuture<T> runAsync(
      String name, TypeTag<T> typeTag, ThrowingSupplier<T> action) {
    return runAsync(name, typeTag, null, action);
  }

  default <T> DurableFuture<T> runAsync(TypeTag<T> typeTag, ThrowingSupplier<T> action) {
    return runAsync(null, typeTag, null, action);
  }

  default <T> DurableFuture<T> runAsync(String name, Class<T> clazz, ThrowingSupplier<T> action) {
    return runAsync(name, TypeTag.of(clazz), null, action);
  }

  default <T> DurableFuture<T> runAsync(Class<T> clazz, ThrowingSupplier<T> action) {
    return runAsync(null, TypeTag.of(clazz), null, action);
  }

  default <T> DurableFuture<T> runAsync(
      String name, Class<T> clazz, RetryPolicy retryPolicy, ThrowingSupplier<T> action) {
    return runAsync(name, TypeTag.of(clazz), retryPolicy, action);
  }

  default DurableFuture<Void> runAsync(
      String name, RetryPolicy retryPolicy, ThrowingRunnable action) {
    return runAsync(
        name,
        Serde.VOID,
        retryPolicy,
        () -> {
          action.run();
          return null;
        });
  }

  default DurableFuture<Void> runAsync(String name, ThrowingRunnable action) {
    return runAsync(name, (RetryPolicy) null, action);
  }

  default DurableFuture<Void> runAsync(ThrowingRunnable action) {
    return runAsync(null, (RetryPolicy) null, action);
  }

  default <T> T run(
      String name, TypeTag<T> typeTag, RetryPolicy retryPolicy, ThrowingSupplier<T> action)
      throws TerminalException {
    return runAsync(name, typeTag, retryPolicy, action).await();
  }

  default <T> T run(String name, TypeTag<T> typeTag, ThrowingSupplier<T> action)
      throws TerminalException {
    return run(name, typeTag, null, action);
  }

  default <T> T run(TypeTag<T> typeTag, ThrowingSupplier<T> action) throws TerminalException {
    return run(null, typeTag, null, action);
  }

  default <T> T run(String name, Class<T> clazz, ThrowingSupplier<T> action)
      throws TerminalException {
    return run(name, TypeTag.of(clazz), null, action);
  }

  default <T> T run(Class<T> clazz, ThrowingSupplier<T> action) throws TerminalException {
    return run(null, TypeTag.of(clazz), null, action);
  }

  default <T> T run(
      String name, Class<T> clazz, RetryPolicy retryPolicy, ThrowingSupplier<T> action)
      throws TerminalException {
    return run(name, TypeTag.of(clazz), retryPolicy, action);
  }

  default void run(String name, RetryPolicy retryPolicy, ThrowingRunnable action)
      throws TerminalException {
    runAsync(name, retryPolicy, action).await();
  }

  default void run(String name, ThrowingRunnable action) throws TerminalException {
    run(name, (RetryPolicy) null, action);
  }

  default void run(ThrowingRunnable action) throws TerminalException {
    run(null, (RetryPolicy) null, action);
  }

  /**
   * Creates an awakeable: an id to hand to another system, and a future completed when it resolves.
   */
  <T> Awakeable<T> awakeable(TypeTag<T> typeTag);

  default <T> Awakeable<T> awakeable(Class<T> clazz) {
    return awakeable(TypeTag.of(clazz));
  }

  /** A handle to resolve or reject an awakeable created by any invocation. */
  AwakeableHandle awakeableHandle(String id);

  /** Deterministic random numbers: the same sequence on every replay of this invocation. */
  RestateRandom random();
}
