package dev.resolute.sdktests;

import dev.resolute.testsupport.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Python services of {@code python/services.py} served by Hypercorn over h2c on a loopback port
 * it binds itself, from the virtual environment the build installs ({@code python/install-venv}).
 */
final class PythonDeployment implements AutoCloseable {
  /** Hypercorn's start-up line names the port it bound (it is given port 0). */
  private static final Pattern RUNNING =
      Pattern.compile("Running on http://127\\.0\\.0\\.1:(\\d+)");

  final int port;
  final Path log;
  private final ChildProcess process;

  private PythonDeployment(int port, Path log, ChildProcess process) {
    this.port = port;
    this.log = log;
    this.process = process;
  }

  static PythonDeployment start(Path workDir) {
    Path venv = Path.of(System.getProperty("python.venv", "target/python-venv")).toAbsolutePath();
    Path services = Path.of(System.getProperty("python.services", "python")).toAbsolutePath();
    if (!Files.isExecutable(venv.resolve("bin/python"))) {
      throw new IllegalStateException(
          "no Python virtual environment at "
              + venv
              + "; the build makes it in pre-integration-test (python/install-venv)");
    }
    Path log = workDir.resolve("python.log");
    ChildProcess p =
        ChildProcess.start(
            List.of(
                venv.resolve("bin/python").toString(),
                "-m",
                "hypercorn",
                "services:app",
                "--bind",
                "127.0.0.1:0"),
            Map.of(
                "PYTHONUNBUFFERED",
                "1",
                "PYTHONDONTWRITEBYTECODE",
                "1",
                "PYTHONPATH",
                services.toString()),
            log);
    Matcher m = p.awaitOutput(RUNNING, Duration.ofSeconds(60));
    return new PythonDeployment(Integer.parseInt(m.group(1)), log, p);
  }

  String uri() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.kill9();
  }
}
