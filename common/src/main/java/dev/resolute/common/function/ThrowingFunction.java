package dev.resolute.common.function;

import java.util.function.Function;

/** A function that may throw any exception. */
@FunctionalInterface
public interface ThrowingFunction<T, R> {
  R apply(T value) throws Throwable;

  /**
   * This function as a {@link Function}; what it throws is rethrown unchanged (checked exceptions
   * too).
   */
  default Function<T, R> asFunction() {
    return wrap(this);
  }

  /** The given function as a {@link Function}; what it throws is rethrown unchanged. */
  static <T, R> Function<T, R> wrap(ThrowingFunction<T, R> fn) {
    return t -> {
      try {
        return fn.apply(t);
      } catch (Throwable e) {
        throw Sneaky.<RuntimeException>rethrow(e);
      }
    };
  }

  static <T> ThrowingFunction<T, T> identity() {
    return t -> t;
  }
}
