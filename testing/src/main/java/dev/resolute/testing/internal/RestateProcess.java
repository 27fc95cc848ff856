package dev.resolute.testing.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code restate-server} as a child process: temporary base dir, free loopback ports in
 * 45000–49999, stopped by PID on {@link #close()} and from a JVM shutdown hook.
 */
public final class RestateProcess implements TestServer {
  static final String DEFAULT_BINARY = ".peers/node_modules/@restatedev/restate-server-linux-x64/bin/restate-server";
  private static final int PORT_RANGE_LOW = 45000;
  private static final int PORT_RANGE_HIGH = 49999;

  private final Path baseDir;
  private final int ingressPort;
  private final int adminPort;
  private final Process process;
  private final Thread shutdownHook;

  private RestateProcess(Path baseDir, int ingressPort, int adminPort, Process process, Thread shutdownHook) {
    this.baseDir = baseDir;
    this.ingressPort = ingressPort;
    this.adminPort = adminPort;
    this.process = process;
    this.shutdownHook = shutdownHook;
  }

  public static RestateProcess start(Duration timeout) {
    Path binary = binary();
    Path baseDir = TempDirs.create("restate-test-");
    int[] ports = FreePorts.inRange(PORT_RANGE_LOW, PORT_RANGE_HIGH, 3);
    ProcessBuilder pb = new ProcessBuilder(List.of(binary.toString(), "--base-dir", baseDir.toString(), "--no-logo"));
    pb.environment().putAll(Map.of(
        "RESTATE_INGRESS__BIND_ADDRESS", "127.0.0.1:" + ports[0],
        "RESTATE_ADMIN__BIND_ADDRESS", "127.0.0.1:" + ports[1],
        "RESTATE_BIND_ADDRESS", "127.0.0.1:" + ports[2],
        "RESTATE_ADVERTISED_ADDRESS", "http://127.0.0.1:" + ports[2] + "/",
        "RESTATE_LOG_DISABLE_ANSI_CODES", "true"));
    File log = baseDir.resolve("server.log").toFile();
    pb.redirectErrorStream(true).redirectOutput(log);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      TempDirs.deleteQuietly(baseDir);
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    long pid = p.pid();
    Thread hook = new Thread(() -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly),
        "stop-restate-server-" + pid);
    Runtime.getRuntime().addShutdownHook(hook);
    RestateProcess rp = new RestateProcess(baseDir, ports[0], ports[1], p, hook);
    try {
      rp.awaitHealthy(timeout, log);
      return rp;
    } catch (RuntimeException e) {
      rp.close();
      throw e;
    }
  }

  private void awaitHealthy(Duration timeout, File log) {
    Http http = new Http();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("restate-server exited with " + process.exitValue() + ", log:\n" + tail(log));
      }
      if (http.status(adminUri().resolve("/health")) == 200
          && http.status(ingressUri().resolve("/restate/health")) == 200) {
        return;
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for restate-server", e);
      }
    }
    throw new IllegalStateException("restate-server not healthy after " + timeout + ", log:\n" + tail(log));
  }

  /** The binary: {@code -Drestate.server.binary}, {@code $RESTATE_SERVER_BINARY}, or .peers/ upwards from the cwd. */
  static Path binary() {
    String configured = System.getProperty("restate.server.binary", System.getenv("RESTATE_SERVER_BINARY"));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(DEFAULT_BINARY);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("restate-server not found: set -Drestate.server.binary or run scripts/install-peers"
        + " (looked for " + DEFAULT_BINARY + " in " + Path.of("").toAbsolutePath() + " and its parents)");
  }

  private static String tail(File f) {
    try {
      String s = Files.readString(f.toPath());
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public URI ingressUri() {
    return URI.create("http://127.0.0.1:" + ingressPort);
  }

  @Override
  public URI adminUri() {
    return URI.create("http://127.0.0.1:" + adminPort);
  }

  @Override
  public String description() {
    return "restate-server (pid " + process.pid() + ", base dir " + baseDir + ")";
  }

  @Override
  public void close() {
    try {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException ignored) {
        // the JVM is shutting down; the hook stops the process
      }
      TempDirs.deleteQuietly(baseDir);
    }
  }
}
