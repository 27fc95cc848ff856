package dev.resolute.sdktests;

import dev.resolute.testsupport.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deployment of the Python, TypeScript, Go or Rust SDK as a process of its own: each binds a free
 * loopback port (port 0) and prints {@code listening on 127.0.0.1:PORT} (Hypercorn, which serves
 * the Python app: {@code Running on http://127.0.0.1:PORT}). The build lays them out before the ITs
 * run (python/install-venv, node/install, go/build, rust/build; see the README).
 */
final class SdkDeployment implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("(?:listening on |Running on http://)127\\.0\\.0\\.1:(\\d+)");

  /** An SDK's deployment and how to start it. */
  enum Sdk {
    /**
     * {@code restate-sdk} from PyPI ({@code python/services.py}) served by Hypercorn, which speaks
     * h2c (prior knowledge) and HTTP/1.1 on the same port.
     */
    PYTHON,
    /** {@code @restatedev/restate-sdk} 1.14.5, the newest that runs unmodified on Node.js 20. */
    NODE,
    /** {@code @restatedev/restate-sdk} 1.17.2 with a {@code Promise.withResolvers} polyfill. */
    NODE_LATEST,
    GO,
    RUST;

    List<String> command() {
      return switch (this) {
        case PYTHON ->
            List.of(
                pythonVenv().resolve("bin/python").toString(),
                "-m",
                "hypercorn",
                "services:app",
                "--bind",
                "127.0.0.1:0");
        case NODE -> List.of("node", nodeDir().resolve("services.mjs").toString());
        case NODE_LATEST ->
            List.of(
                "node",
                "--import",
                nodeDir().resolve("with-resolvers.mjs").toUri().toString(),
                nodeDir().resolve("services.mjs").toString());
        case GO -> List.of(built("go.binary", "target/go/sdk-tests-go"));
        case RUST -> List.of(built("rust.binary", "target/rust/release/resolute-sdk-tests-rust"));
      };
    }

    Map<String, String> env() {
      return switch (this) {
        case PYTHON ->
            Map.of(
                "PYTHONUNBUFFERED",
                "1",
                "PYTHONDONTWRITEBYTECODE",
                "1",
                "PYTHONPATH",
                Path.of(System.getProperty("python.services", "python"))
                    .toAbsolutePath()
                    .toString());
        case NODE_LATEST -> Map.of("SDK", "restate-sdk-1.17");
        default -> Map.of();
      };
    }
  }

  static Path pythonVenv() {
    Path venv = Path.of(System.getProperty("python.venv", "target/python-venv")).toAbsolutePath();
    if (!Files.isExecutable(venv.resolve("bin/python"))) {
      throw new IllegalStateException(
          "no Python virtual environment at "
              + venv
              + "; the build makes it in pre-integration-test (python/install-venv)");
    }
    return venv;
  }

  static Path nodeDir() {
    Path dir = Path.of(System.getProperty("node.dir", "target/node")).toAbsolutePath();
    if (!Files.isDirectory(dir.resolve("node_modules"))) {
      throw new IllegalStateException(
          "no npm packages in " + dir + "; the build installs them in pre-integration-test");
    }
    return dir;
  }

  private static String built(String property, String fallback) {
    Path p = Path.of(System.getProperty(property, fallback)).toAbsolutePath();
    if (!Files.isExecutable(p)) {
      throw new IllegalStateException(
          "no " + p + "; the build makes it before the ITs (see sdk-tests/README.md)");
    }
    return p.toString();
  }

  final Sdk sdk;
  final int port;
  private final ChildProcess process;

  private SdkDeployment(Sdk sdk, int port, ChildProcess process) {
    this.sdk = sdk;
    this.port = port;
    this.process = process;
  }

  static SdkDeployment start(Sdk sdk, Path workDir) {
    return start(sdk, workDir, Map.of());
  }

  /** Starts {@code sdk}'s deployment with {@code extraEnv} added to its environment. */
  static SdkDeployment start(Sdk sdk, Path workDir, Map<String, String> extraEnv) {
    List<String> command = new ArrayList<>(sdk.command());
    Path log = workDir.resolve(sdk.name().toLowerCase(java.util.Locale.ROOT) + ".log");
    Map<String, String> env = new HashMap<>(sdk.env());
    env.putAll(extraEnv);
    ChildProcess p = ChildProcess.start(command, env, log);
    Matcher m = p.awaitOutput(LISTENING, Duration.ofSeconds(60));
    return new SdkDeployment(sdk, Integer.parseInt(m.group(1)), p);
  }

  String uri() {
    return "http://127.0.0.1:" + port;
  }

  String logTail() {
    return process.logTail();
  }

  @Override
  public void close() {
    process.kill9();
  }
}
