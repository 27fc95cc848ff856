package dev.resolute.sdk;

import dev.resolute.common.function.ThrowingFunction;
import dev.resolute.sdk.common.TerminalException;
import dev.resolute.sdk.internal.statemachine.Futures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Races futures: the first to complete (in journal order) wins. {@code
 * Select.<String>select().or(a).when(timer, v -> "timeout").await()}. A select is itself a {@link
 * DurableFuture}, so it can be awaited with a timeout, mapped, or combined again; add all branches
 * before using it as a future.
 */
public final class Select<T> implements DurableFuture<T> {
  private final List<DurableFuture<?>> futures = new ArrayList<>();
  private final List<ThrowingFunction<Object, T>> mappers = new ArrayList<>();
  private DurableFuture<T> built;

  private Select() {}

  public static <T> Select<T> select() {
    return new Select<>();
  }

  /** A branch whose value (or terminal failure) is the select's. */
  @SuppressWarnings("unchecked")
  public Select<T> or(DurableFuture<? extends T> future) {
    return add(future, v -> (T) v);
  }

  /** A branch mapped with {@code mapper} when it wins; its terminal failure is the select's. */
  @SuppressWarnings("unchecked")
  public <U> Select<T> when(DurableFuture<U> future, ThrowingFunction<U, T> mapper) {
    return add(future, v -> mapper.apply((U) v));
  }

  /**
   * A branch mapped with {@code mapper} on success and {@code failureMapper} on a terminal failure.
   */
  public <U> Select<T> when(
      DurableFuture<U> future,
      ThrowingFunction<U, T> mapper,
      ThrowingFunction<TerminalException, T> failureMapper) {
    return when(future.map(mapper, failureMapper), ThrowingFunction.identity());
  }

  private Select<T> add(DurableFuture<?> future, ThrowingFunction<Object, T> mapper) {
    if (built != null) {
      throw new IllegalStateException(
          "this select was already used as a future; add branches before");
    }
    futures.add(future);
    mappers.add(mapper);
    return this;
  }

  /** The select as a plain future (built once). */
  public DurableFuture<T> future() {
    if (built == null) {
      if (futures.isEmpty()) {
        throw new IllegalStateException("select needs at least one future");
      }
      built = Futures.select(List.copyOf(futures), List.copyOf(mappers));
    }
    return built;
  }

  @Override
  public T await() {
    return future().await();
  }

  @Override
  public T await(Duration timeout) {
    return future().await(timeout);
  }

  @Override
  public <U> DurableFuture<U> map(ThrowingFunction<T, U> mapper) {
    return future().map(mapper);
  }

  @Override
  public <U> DurableFuture<U> map(
      ThrowingFunction<T, U> mapper, ThrowingFunction<TerminalException, U> failureMapper) {
    return future().map(mapper, failureMapper);
  }

  @Override
  public DurableFuture<T> mapFailure(ThrowingFunction<TerminalException, T> failureMapper) {
    return future().mapFailure(failureMapper);
  }

  @Override
  public DurableFuture<T> withTimeout(Duration timeout) {
    return future().withTimeout(timeout);
  }
}
