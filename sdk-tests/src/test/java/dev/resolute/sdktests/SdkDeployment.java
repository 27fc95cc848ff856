package dev.resolute.sdktests;

import dev.resolute.testsupport.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deployment of the TypeScript, Go or Rust SDK as a process of its own: each binds a free
 * loopback port (port 0) and prints {@code listening on 127.0.0.1:PORT}. The build lays them out
 * before the ITs run (node/install, go/build, rust/build; see the README).
 */
final class SdkDeployment implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  /** An SDK's deployment and how to start it. */
  enum Sdk {
    /** {@code @restatedev/restate-sdk} 1.14.5, the newest that runs unmodified on Node.js 20. */
    NODE,
    /** {@code @restatedev/restate-sdk} 1.17.2 with a {@code Promise.withResolvers} polyfill. */
    NODE_LATEST,
    GO,
    RUST;

    List<String> command() {
      return switch (this) {
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
      return this == NODE_LATEST ? Map.of("SDK", "restate-sdk-1.17") : Map.of();
    }
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
    List<String> command = new ArrayList<>(sdk.command());
    Path log = workDir.resolve(sdk.name().toLowerCase(java.util.Locale.ROOT) + ".log");
    ChildProcess p = ChildProcess.start(command, sdk.env(), log);
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
