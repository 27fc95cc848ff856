package dev.resolute.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One launched process: a command line, extra environment, stdout and stderr appended to a log
 * file. Any program fits (a JVM main class via {@link #javaCommand}, restate-server, later a Python
 * or Node service).
 *
 * <p>Invariants: the log is appended, never truncated, so a restarted process's log follows the
 * previous run's; a process that is not stopped by the test is killed by a JVM shutdown hook (by
 * PID), and the hook is removed once the test stops it; {@link #stop()} and {@link #kill9()} return
 * only after the process is gone.
 */
public final class ChildProcess implements AutoCloseable {
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final List<String> command;
  private final Path log;

  /** Length of the log before this process wrote to it: {@link #output()} starts there. */
  private final long logStart;

  private final Process process;
  private final Thread hook;

  private ChildProcess(
      List<String> command, Path log, long logStart, Process process, Thread hook) {
    this.command = command;
    this.log = log;
    this.logStart = logStart;
    this.process = process;
    this.hook = hook;
  }

  /**
   * Starts {@code command} with {@code env} added to this JVM's environment; output goes to {@code
   * log}.
   */
  public static ChildProcess start(List<String> command, Map<String, String> env, Path log) {
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      long logStart = Files.exists(log) ? Files.size(log) : 0;
      ProcessBuilder pb =
          new ProcessBuilder(new ArrayList<>(command))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().putAll(env);
      Process p = pb.start();
      long pid = p.pid();
      Thread hook =
          new Thread(
              () ->
                  ProcessHandle.of(pid)
                      .ifPresent(
                          h -> {
                            List<ProcessHandle> kids = h.descendants().toList();
                            h.destroyForcibly();
                            kids.forEach(ProcessHandle::destroyForcibly);
                          }),
              "kill-" + pid);
      Runtime.getRuntime().addShutdownHook(hook);
      return new ChildProcess(List.copyOf(command), log, logStart, p, hook);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /**
   * {@code java -Xmx512m -cp classpath [jvmOptions] mainClass args} with this JVM's {@code java}
   * binary.
   */
  public static List<String> javaCommand(
      String classpath, List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /** The classpath of this test JVM (where the server and the test's services are). */
  public static String testClasspath() {
    return System.getProperty("java.class.path");
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /**
   * What this process has written so far (a restarted process's log file also holds the earlier
   * runs).
   */
  public String output() throws IOException {
    if (!Files.exists(log)) {
      return "";
    }
    byte[] all = Files.readAllBytes(log);
    int from = (int) Math.min(logStart, all.length);
    return new String(all, from, all.length - from, StandardCharsets.UTF_8);
  }

  /** The last 4000 characters of the log. */
  public String logTail() {
    try {
      String s = Files.readString(log);
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  /** Throws {@link ProcessExitedException} with the log's tail when the process has exited. */
  public void checkAlive() {
    if (!process.isAlive()) {
      throw new ProcessExitedException(
          command.get(0)
              + " exited with "
              + process.exitValue()
              + "; log "
              + log
              + ":\n"
              + logTail());
    }
  }

  /**
   * Waits until this process's output matches {@code pattern} (its "ready" or "listening on port N"
   * line) and returns the first match; fails at once if the process exits first.
   */
  public Matcher awaitOutput(Pattern pattern, Duration timeout) {
    return Wait.forValue(
        pattern + " in " + log,
        timeout,
        () -> {
          Matcher m = pattern.matcher(output());
          if (m.find()) {
            return m;
          }
          checkAlive();
          return null;
        });
  }

  /**
   * SIGTERM, then SIGKILL after 10 s: a clean shutdown that cannot hang the test; descendants still
   * alive afterwards are killed.
   */
  public void stop() {
    // a deployment's worker processes (Hypercorn's, for one) outlive their parent otherwise
    List<ProcessHandle> kids = process.descendants().toList();
    try {
      process.destroy();
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      kids.forEach(ProcessHandle::destroyForcibly);
      removeHook();
    }
  }

  /**
   * {@code kill -9}: a crash, no shutdown hook of the child runs; its descendants are killed too.
   * Returns once the process is gone.
   */
  public void kill9() {
    List<ProcessHandle> kids = process.descendants().toList();
    try {
      if (process.isAlive()) {
        try {
          new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor();
        } catch (IOException e) {
          process.destroyForcibly(); // SIGKILL on Unix as well
        }
      }
      process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      kids.forEach(ProcessHandle::destroyForcibly); // SIGKILL: the whole process tree crashes
      removeHook();
    }
  }

  private void removeHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException ignored) {
      // the JVM is shutting down; the hook kills the process
    }
  }

  /** {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }
}
