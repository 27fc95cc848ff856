package dev.resolute.testing.internal;

import dev.resolute.testsupport.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temporary directories for server data, removed when the server stops. */
final class TempDirs {
  private TempDirs() {}

  static Path create(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
  }

  /** Deletes {@code dir} recursively; best effort (a failure leaves files in the temp dir). */
  static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      TestData.delete(dir);
    } catch (IOException ignored) {
      // left for the OS to clean up
    }
  }
}
