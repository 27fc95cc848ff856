package dev.resolute.testing;

/** The server a {@link ResoluteTest} runs against. */
public enum ServerKind {
  /** A Resolute server inside the test JVM (temporary data directory, OS-assigned ports). */
  EMBEDDED,
  /**
   * The real {@code restate-server} binary as a child process (temporary base dir, free ports in
   * 45000–49999). The binary is {@code -Drestate.server.binary}, {@code $RESTATE_SERVER_BINARY}, or
   * {@code .peers/node_modules/@restatedev/restate-server-linux-x64/bin/restate-server} in the
   * working directory or one of its parents.
   */
  RESTATE
}
