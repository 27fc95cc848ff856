package dev.resolute.client.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code restate-server} 1.7.12 (installed into {@code .peers/} by {@code
 * scripts/install-peers}) as a child process on free loopback ports, with a fresh base dir under
 * {@code target/}. Stopped by PID on {@link #close()} and from a shutdown hook.
 */
public final class RealRestateServer implements TestServer {
  public static final String BINARY = System.getProperty("restate.server.binary", peersBinary());

  /** {@code .peers/…/restate-server} in the working directory or the nearest parent that has one. */
  static String peersBinary() {
    String rel = ".peers/node_modules/@restatedev/restate-server-linux-x64/bin/restate-server";
    for (java.nio.file.Path d = java.nio.file.Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (java.nio.file.Files.isExecutable(d.resolve(rel))) {
        return d.resolve(rel).toString();
      }
    }
    return rel;
  }

  private final int ingress;
  private final int admin;
  private final Path baseDir;
  private Process process;
  private Thread hook;

  private RealRestateServer(int ingress, int admin, Path baseDir) {
    this.ingress = ingress;
    this.admin = admin;
    this.baseDir = baseDir;
  }

  public static RealRestateServer start(String name) throws IOException, InterruptedException {
    if (!new File(BINARY).canExecute()) {
      throw new IllegalStateException("restate-server not found at " + BINARY + "; run scripts/install-peers");
    }
    Path base = Path.of("target", "restate-" + name + "-" + System.nanoTime()).toAbsolutePath();
    Files.createDirectories(base);
    RealRestateServer s = new RealRestateServer(freePort(), freePort(), base);
    s.launch(freePort());
    return s;
  }

  private void launch(int nodePort) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(List.of(BINARY, "--base-dir", baseDir.toString(), "--no-logo"));
    pb.environment().put("RESTATE_INGRESS__BIND_ADDRESS", "127.0.0.1:" + ingress);
    pb.environment().put("RESTATE_ADMIN__BIND_ADDRESS", "127.0.0.1:" + admin);
    pb.environment().put("RESTATE_BIND_ADDRESS", "127.0.0.1:" + nodePort);
    pb.environment().put("RESTATE_ADVERTISED_ADDRESS", "http://127.0.0.1:" + nodePort + "/");
    pb.environment().put("RESTATE_LOG_DISABLE_ANSI_CODES", "true");
    File log = baseDir.resolve("server.log").toFile();
    pb.redirectErrorStream(true).redirectOutput(log);
    process = pb.start();
    long pid = process.pid();
    hook = new Thread(() -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly), "stop-restate-" + pid);
    Runtime.getRuntime().addShutdownHook(hook);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("restate-server exited with " + process.exitValue() + ": "
            + Files.readString(log.toPath()));
      }
      if (TestServer.status(adminUrl() + "/health") == 200 && TestServer.status(ingressUrl() + "/restate/health") == 200) {
        return;
      }
      Thread.sleep(200);
    }
    close();
    throw new IllegalStateException("restate-server not healthy after 60s");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public String ingressUrl() {
    return "http://127.0.0.1:" + ingress;
  }

  @Override
  public String adminUrl() {
    return "http://127.0.0.1:" + admin;
  }

  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException ignored) {
      // the JVM is already shutting down
    }
    process = null;
  }
}
