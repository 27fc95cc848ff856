package dev.resolute.common.function;

/** A two-argument function that may throw any exception. */
@FunctionalInterface
public interface ThrowingBiFunction<T, U, R> {
  R apply(T first, U second) throws Throwable;
}
