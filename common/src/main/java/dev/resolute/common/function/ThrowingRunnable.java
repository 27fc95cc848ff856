package dev.resolute.common.function;

/** A runnable that may throw any exception. */
@FunctionalInterface
public interface ThrowingRunnable {
  void run() throws Throwable;
}
