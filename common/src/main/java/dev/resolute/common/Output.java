package dev.resolute.common;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/** The output of an invocation that may not have finished yet. */
public final class Output<T> {
  private static final Output<?> NOT_READY = new Output<>(false, null);

  private final boolean ready;
  private final T value;

  private Output(boolean ready, T value) {
    this.ready = ready;
    this.value = value;
  }

  public static <T> Output<T> ready(T value) {
    return new Output<>(true, value);
  }

  @SuppressWarnings("unchecked")
  public static <T> Output<T> notReady() {
    return (Output<T>) NOT_READY;
  }

  public boolean isReady() {
    return ready;
  }

  /**
   * @throws NoSuchElementException when the output is not ready
   */
  public T getValue() {
    if (!ready) {
      throw new NoSuchElementException("the output is not ready");
    }
    return value;
  }

  public <U> Output<U> map(Function<? super T, ? extends U> mapper) {
    return ready ? ready(mapper.apply(value)) : notReady();
  }

  /** The value when ready, else {@code other}. */
  public T orElse(T other) {
    return ready ? value : other;
  }

  /** The value when ready, else what {@code other} supplies. */
  public T orElseGet(Supplier<? extends T> other) {
    return ready ? value : other.get();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Output<?> other
        && ready == other.ready
        && Objects.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ready, value);
  }

  @Override
  public String toString() {
    return ready ? "Output[" + value + "]" : "Output[not ready]";
  }
}
