package dev.resolute.sdktests;

import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Python services of {@code python/services.py} served by Hypercorn over h2c on a free loopback
 * port, from the virtual environment the build installs ({@code python/install-venv}).
 */
final class PythonDeployment implements AutoCloseable {
  final int port;
  final Path log;
  private final Process process;

  private PythonDeployment(int port, Path log, Process process) {
    this.port = port;
    this.log = log;
    this.process = process;
  }

  static PythonDeployment start(Path workDir) throws Exception {
    Path venv = Path.of(System.getProperty("python.venv", "target/python-venv"));
    Path services = Path.of(System.getProperty("python.services", "python"));
    if (!Files.isExecutable(venv.resolve("bin/python"))) {
      throw new IllegalStateException("no Python virtual environment at " + venv
          + "; the build makes it in pre-integration-test (python/install-venv)");
    }
    int port = Launch.freePort();
    Path log = workDir.resolve("python.log");
    Process p = Launch.start(List.of(venv.resolve("bin/python").toString(), "-m", "hypercorn", "services:app",
        "--bind", "127.0.0.1:" + port), services, Map.of("PYTHONUNBUFFERED", "1", "PYTHONDONTWRITEBYTECODE", "1"), log);
    PythonDeployment d = new PythonDeployment(port, log, p);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> !p.isAlive() || accepts(port));
    if (!p.isAlive()) {
      throw new IllegalStateException("hypercorn exited at start:\n" + Files.readString(log));
    }
    return d;
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (Exception notYet) {
      return false;
    }
  }

  String uri() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    Launch.kill9(process);
  }
}
