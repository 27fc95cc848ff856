package dev.resolute.common.function;

import java.util.function.BiConsumer;

/** A two-argument consumer that may throw any exception. */
@FunctionalInterface
public interface ThrowingBiConsumer<T, U> {
  void accept(T first, U second) throws Throwable;

  /** This consumer as a {@link BiConsumer}; what it throws is rethrown unchanged. */
  default BiConsumer<T, U> asBiConsumer() {
    return wrap(this);
  }

  static <T, U> BiConsumer<T, U> wrap(ThrowingBiConsumer<T, U> fn) {
    return (t, u) -> {
      try {
        fn.accept(t, u);
      } catch (Throwable e) {
        throw Sneaky.<RuntimeException>rethrow(e);
      }
    };
  }
}
