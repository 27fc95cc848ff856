package dev.resolute.common.function;

/** A consumer that may throw any exception. */
@FunctionalInterface
public interface ThrowingConsumer<T> {
  void accept(T value) throws Throwable;
}
