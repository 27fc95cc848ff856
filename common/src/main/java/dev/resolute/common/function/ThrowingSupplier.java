package dev.resolute.common.function;

/** A supplier that may throw any exception. */
@FunctionalInterface
public interface ThrowingSupplier<T> {
  T get() throws Throwable;
}
