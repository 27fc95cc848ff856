package dev.resolute.sdk;

import dev.resolute.common.function.ThrowingFunction;
import dev.resolute.sdk.internal.statemachine.Futures;
import java.util.ArrayList;
import java.util.List;

/**
 * Races futures: the first to complete (in journal order) wins. {@code
 * Select.<String>select().or(a).when(timer, v -> "timeout").await()}.
 */
public final class Select<T> {
  private final List<DurableFuture<?>> futures = new ArrayList<>();
  private final List<ThrowingFunction<Object, T>> mappers = new ArrayList<>();

  private Select() {}

  public static <T> Select<T> select() {
    return new Select<>();
  }

  @SuppressWarnings("unchecked")
  public Select<T> or(DurableFuture<? extends T> future) {
    futures.add(future);
    mappers.add(v -> (T) v);
    return this;
  }

  @SuppressWarnings("unchecked")
  public <U> Select<T> when(DurableFuture<U> future, ThrowingFunction<U, T> mapper) {
    futures.add(future);
    mappers.add(v -> mapper.apply((U) v));
    return this;
  }

  /** The race as a future. */
  public DurableFuture<T> future() {
    if (futures.isEmpty()) {
      throw new IllegalStateException("select needs at least one future");
    }
    return Futures.select(List.copyOf(futures), List.copyOf(mappers));
  }

  public T await() {
    return future().await();
  }

  public T await(java.time.Duration timeout) {
    return future().await(timeout);
  }
}
