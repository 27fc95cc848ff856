package dev.resolute.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Restate-compatible server (Resolute or the real restate-server) as a child process: its own
 * work directory ({@code data/} as the base dir, {@code server.log}), every listener bound to
 * {@code 127.0.0.1:0} and the bound ports read back from the process, so no port is probed and no
 * two tests can race for one.
 *
 * <p>{@link #start()} returns once the admin {@code /health} and the ingress {@code
 * /restate/health} answer 200; {@link #restart()} kills the process with {@code kill -9} and starts
 * it again on the same data directory (its ports may change: read {@link #ingressPort()} again).
 * Not thread-safe: one test drives it.
 */
public abstract class ServerProcess implements AutoCloseable {
  public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path workDir;
  private final Map<String, String> env = new LinkedHashMap<>();
  private ChildProcess process;
  private int ingressPort = -1;
  private int adminPort = -1;

  protected ServerProcess(Path workDir) {
    this.workDir = workDir.toAbsolutePath();
  }

  /** A fresh directory {@code target/processes/<name>-<nanos>} of the current module. */
  public static Path newWorkDir(String name) {
    return Path.of("target", "processes", name + "-" + System.nanoTime()).toAbsolutePath();
  }

  /** Adds environment variables (e.g. {@code RESTATE_…} settings) for every later (re)start. */
  public ServerProcess env(Map<String, String> extra) {
    env.putAll(extra);
    return this;
  }

  /** The command line that starts the server on {@link #dataDir()}. */
  protected abstract List<String> command();

  /**
   * Environment that binds every listener to port 0 on loopback; {@link #env(Map)} comes on top.
   */
  protected abstract Map<String, String> bindAnyPortEnv();

  /** Called before each launch (e.g. to remove a stale ports report). */
  protected void beforeLaunch() throws IOException {}

  /** Waits for the process to report its bound {ingress, admin} ports. */
  protected abstract int[] awaitPorts(ChildProcess process, Duration timeout);

  /** What to call the server in messages. */
  protected abstract String name();

  public ServerProcess start() {
    return start(START_TIMEOUT);
  }

  /**
   * Launches the server and waits until both APIs are healthy; on failure the process is killed.
   */
  public ServerProcess start(Duration timeout) {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name() + " already running (pid " + process.pid() + ")");
    }
    Map<String, String> all = new LinkedHashMap<>(bindAnyPortEnv());
    all.putAll(env);
    try {
      beforeLaunch();
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare " + workDir, e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    process = ChildProcess.start(command(), all, workDir.resolve("server.log"));
    try {
      int[] ports = awaitPorts(process, remaining(deadline));
      ingressPort = ports[0];
      adminPort = ports[1];
      ChildProcess p = process;
      Wait.until(
          name() + " healthy (" + adminUrl() + "/health, " + ingressUrl() + "/restate/health)",
          remaining(deadline),
          () -> {
            p.checkAlive();
            return Http.status(adminUrl() + "/health") == 200
                && Http.status(ingressUrl() + "/restate/health") == 200;
          });
      return this;
    } catch (RuntimeException | Error e) {
      process.kill9();
      throw e;
    }
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  /** {@code kill -9}, then a fresh start on the same data directory. */
  public void restart() {
    kill9();
    start();
  }

  /** {@code kill -9}: a crash. */
  public void kill9() {
    if (process != null) {
      process.kill9();
    }
  }

  /**
   * {@code kill -9} and delete the data directory (its log stays; see {@link TestData}): a test's
   * quick end. A process discarded is not started again.
   */
  public void discard() {
    kill9();
    TestData.deleteUnlessKept(dataDir());
  }

  /** SIGTERM (SIGKILL after 10 s). */
  public void stop() {
    if (process != null) {
      process.stop();
    }
  }

  /**
   * Stops the process and deletes its data directory (its log stays; see {@link TestData}). A
   * process closed is not started again.
   */
  @Override
  public void close() {
    stop();
    TestData.deleteUnlessKept(dataDir());
  }

  public int ingressPort() {
    return ingressPort;
  }

  public int adminPort() {
    return adminPort;
  }

  public String ingressUrl() {
    return "http://127.0.0.1:" + ingressPort;
  }

  public String adminUrl() {
    return "http://127.0.0.1:" + adminPort;
  }

  /** Holds {@code data/} (the base dir) and {@code server.log}. */
  public Path workDir() {
    return workDir;
  }

  /** The server's {@code --base-dir}. */
  public Path dataDir() {
    return workDir.resolve("data");
  }

  public Path log() {
    return workDir.resolve("server.log");
  }

  /** The last 4000 characters of the log (all runs). */
  public String logTail() {
    return process == null ? "(not started)" : process.logTail();
  }

  public long pid() {
    return process.pid();
  }

  /** {@link Deployments#register} on this server's admin API. */
  public String registerDeployment(String uri, boolean useHttp11)
      throws IOException, InterruptedException {
    return Deployments.register(adminUrl(), uri, useHttp11);
  }
}
