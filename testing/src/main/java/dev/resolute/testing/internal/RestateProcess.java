package dev.resolute.testing.internal;

import dev.resolute.testsupport.RestateServerProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real {@code restate-server} as a child process ({@link RestateServerProcess} of test-support:
 * ports it binds itself, killed by PID from a JVM shutdown hook unless stopped) in a temporary work
 * dir that {@link #close()} deletes.
 */
public final class RestateProcess implements TestServer {
  private final RestateServerProcess process;

  private RestateProcess(RestateServerProcess process) {
    this.process = process;
  }

  public static RestateProcess start(Duration timeout) {
    Path binary = RestateServerProcess.binary();
    Path workDir = TempDirs.create("restate-test-");
    RestateServerProcess process = RestateServerProcess.create(workDir, binary);
    try {
      process.start(timeout);
      return new RestateProcess(process);
    } catch (RuntimeException | Error e) {
      TempDirs.deleteQuietly(workDir);
      throw e;
    }
  }

  @Override
  public URI ingressUri() {
    return URI.create(process.ingressUrl());
  }

  @Override
  public URI adminUri() {
    return URI.create(process.adminUrl());
  }

  @Override
  public String description() {
    return "restate-server (pid " + process.pid() + ", base dir " + process.dataDir() + ")";
  }

  @Override
  public void close() {
    try {
      process.stop();
    } finally {
      TempDirs.deleteQuietly(process.workDir());
    }
  }
}
