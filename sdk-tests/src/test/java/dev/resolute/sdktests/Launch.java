package dev.resolute.sdktests;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starting and killing the processes these tests drive, and loopback ports for them. Kept small on
 * purpose: it is the part a shared test-support module provides to every module.
 */
final class Launch {
  private Launch() {}

  /** A loopback port nothing listened on a moment ago (the caller binds it soon after). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** Starts {@code command} in {@code dir} with extra environment, stdout and stderr to {@code log}. */
  static Process start(List<String> command, Path dir, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    Process p = pb.start();
    // keeps no orphan behind when the test JVM is stopped before close() runs
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    return p;
  }

  /** SIGKILL, then waits until the process is gone (its ports and files are free afterwards). */
  static void kill9(Process p) throws InterruptedException {
    if (p == null) {
      return;
    }
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }
}
