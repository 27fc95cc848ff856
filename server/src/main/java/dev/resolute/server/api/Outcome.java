package dev.resolute.server.api;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of a completed invocation (or of an awakeable/promise): a value or a terminal failure.
 */
public sealed interface Outcome {
  record Success(byte[] value) implements Outcome {}

  /**
   * @param stacktrace null unless the invocation was killed after its retries ran out
   * @param metadata a terminal error's metadata (protocol V6+), sorted by key as restate-server
   *     keeps it; empty when there is none, never null
   */
  record Failure(int code, String message, String stacktrace, SortedMap<String, String> metadata)
      implements Outcome {
    public Failure {
      metadata =
          metadata == null || metadata.isEmpty()
              ? Collections.emptySortedMap()
              : Collections.unmodifiableSortedMap(new TreeMap<>(metadata));
    }

    public Failure(int code, String message, String stacktrace) {
      this(code, message, stacktrace, null);
    }

    public Failure(int code, String message) {
      this(code, message, null, null);
    }
  }

  static Outcome success(byte[] value) {
    return new Success(value);
  }

  static Outcome failure(int code, String message) {
    return new Failure(code, message);
  }
}
