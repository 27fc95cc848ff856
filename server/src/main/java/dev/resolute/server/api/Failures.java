package dev.resolute.server.api;

import java.util.concurrent.CompletionException;

/** Reading the failure of a future: the edge (admin, ingress, discovery) answers for its cause. */
public final class Failures {
  private Failures() {}

  /**
   * The cause a future failed with: {@link CompletionException} wrappers (any depth) peeled off, so
   * a {@link DispatchException} or a coded exception is seen whichever stage threw it.
   */
  public static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
