package dev.resolute.common.function;

/** Rethrows a throwable without wrapping it, checked or not. */
final class Sneaky {
  private Sneaky() {}

  @SuppressWarnings("unchecked")
  static <E extends Throwable> E rethrow(Throwable t) throws E {
    throw (E) t;
  }
}
