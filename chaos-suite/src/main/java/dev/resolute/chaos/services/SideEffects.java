package dev.resolute.chaos.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The side effect of every {@code ctx.run} in the chaos deployment: one line {@code <what> <id>
 * <token>} appended to a file, with a fresh random token per execution. The closure returns the
 * token, so the journaled result names exactly one execution: the checker finds which execution was
 * journaled and that none ran after it.
 *
 * <p>Each line is one {@code write} on a file opened for append, so a SIGKILL of the deployment
 * leaves whole lines (the kernel keeps what was written; no fsync is needed for a process crash).
 */
public final class SideEffects {
  private static volatile Path file;

  private SideEffects() {}

  static void useFile(Path f) {
    file = f;
  }

  /** Appends {@code what id token} and returns the token. */
  static String record(String what, String id) {
    String token = UUID.randomUUID().toString();
    try {
      Files.write(
          file,
          (what + " " + id + " " + token + "\n").getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE,
          StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return token;
  }
}
