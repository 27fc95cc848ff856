package dev.resolute.common.function;

/** A function that may throw any exception. */
@FunctionalInterface
public interface ThrowingFunction<T, R> {
  R apply(T value) throws Throwable;
}
