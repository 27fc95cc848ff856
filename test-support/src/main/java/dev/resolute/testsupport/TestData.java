package dev.resolute.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a closed child process leaves on disk. A server's or broker's data directory is deleted when
 * the process is closed; its log files stay (they sit beside {@code data/} in the work directory).
 * Each Resolute node preallocates a 64 MiB log segment (and a 4 MiB metadata segment), each
 * restate-server and Kafka broker writes its own stores: kept, the several hundred processes of a
 * full {@code ./test} filled a small CI disk ({@code No space left on device} at startup).
 *
 * <p>{@code RESOLUTE_KEEP_TEST_DATA=1} (or {@code -Dresolute.keepTestData=true}) keeps every data
 * directory, for looking at a store after a test.
 */
public final class TestData {
  private TestData() {}

  /** Whether data directories are kept after close. */
  public static boolean keep() {
    String env = System.getenv("RESOLUTE_KEEP_TEST_DATA");
    return Boolean.getBoolean("resolute.keepTestData")
        || (env != null && !env.isEmpty() && !env.equals("0") && !env.equalsIgnoreCase("false"));
  }

  /**
   * Deletes {@code dir} and everything under it unless {@link #keep()}; a failure is printed, never
   * thrown (a test's result does not depend on its cleanup).
   */
  public static void deleteUnlessKept(Path dir) {
    if (keep()) {
      return;
    }
    try {
      delete(dir);
    } catch (IOException | RuntimeException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }

  /** Deletes {@code dir} and everything under it, always; one that does not exist is no error. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> s = Files.walk(dir)) {
      paths = s.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : paths) {
      try {
        Files.delete(p);
      } catch (NoSuchFileException gone) {
        // removed meanwhile
      }
    }
  }
}
