package dev.resolute.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Where the test peers are (what {@code scripts/install-peers} puts under {@code .peers/}): a
 * system property, else an environment variable, else {@code .peers/…} in the working directory or
 * its nearest parent that has it. Fails with a hint to run {@code scripts/install-peers}.
 */
final class Peers {
  private Peers() {}

  /**
   * @param what the peer, for messages ("restate-server")
   * @param usable whether a candidate path is the peer (executable file, directory)
   */
  static Path find(
      String what, String property, String envVariable, String peersPath, Predicate<Path> usable) {
    String configured = System.getProperty(property, System.getenv(envVariable));
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      if (usable.test(p)) {
        return p;
      }
      throw new IllegalStateException(what + " not found at " + p + "; run scripts/install-peers");
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(peersPath);
      if (usable.test(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        what
            + " not found: set -D"
            + property
            + " or run scripts/install-peers (looked for "
            + peersPath
            + " in "
            + Path.of("").toAbsolutePath()
            + " and its parents)");
  }

  static Path executable(String what, String property, String envVariable, String peersPath) {
    return find(what, property, envVariable, peersPath, Files::isExecutable);
  }
}
