package dev.resolute.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code restate-server} (1.7.12, installed under {@code .peers/} by {@code
 * scripts/install-peers}) as a child process.
 *
 * <p>Ports: ingress, admin and the node's message fabric bind {@code 127.0.0.1:0} (restate-server
 * accepts port 0 and advertises the bound fabric port itself); the bound ports are read from its
 * log, where each listener prints a {@code server_name: <name>} span field followed by {@code
 * server.port: <port>}.
 */
public final class RestateServerProcess extends ServerProcess {
  static final String PEERS_BINARY =
      ".peers/node_modules/@restatedev/restate-server-linux-x64/bin/restate-server";
  private static final Pattern INGRESS = listener("http-ingress-server");
  private static final Pattern ADMIN = listener("admin-api-server");
  private static final Pattern NODE = listener("message-fabric-server");

  private final Path binary;
  private int nodePort = -1;

  private RestateServerProcess(Path workDir, Path binary) {
    super(workDir);
    this.binary = binary;
  }

  /**
   * Not started; work dir {@code target/processes/<name>-<nanos>}, the binary of {@link #binary()}.
   */
  public static RestateServerProcess create(String name) {
    return new RestateServerProcess(newWorkDir("restate-" + name), binary());
  }

  /** Not started; the given work dir and binary. */
  public static RestateServerProcess create(Path workDir, Path binary) {
    return new RestateServerProcess(workDir, binary);
  }

  /**
   * The binary: the system property {@code restate.server.binary} (the Maven property of the same
   * name, passed to surefire and failsafe by the parent POM), {@code $RESTATE_SERVER_BINARY}, or
   * {@code .peers/…} in the working directory or its nearest parent that has one. Fails with a hint
   * when none is executable.
   */
  public static Path binary() {
    return Peers.executable(
        "restate-server", "restate.server.binary", "RESTATE_SERVER_BINARY", PEERS_BINARY);
  }

  @Override
  public RestateServerProcess env(Map<String, String> extra) {
    super.env(extra);
    return this;
  }

  @Override
  public RestateServerProcess start() {
    super.start();
    return this;
  }

  @Override
  protected List<String> command() {
    return List.of(binary.toString(), "--base-dir", dataDir().toString(), "--no-logo");
  }

  @Override
  protected Map<String, String> bindAnyPortEnv() {
    return Map.of(
        "RESTATE_INGRESS__BIND_ADDRESS", "127.0.0.1:0",
        "RESTATE_ADMIN__BIND_ADDRESS", "127.0.0.1:0",
        "RESTATE_BIND_ADDRESS", "127.0.0.1:0",
        "RESTATE_LOG_DISABLE_ANSI_CODES", "true");
  }

  @Override
  protected int[] awaitPorts(ChildProcess process, Duration timeout) {
    return Wait.forValue(
        "restate-server to log its ingress and admin ports in " + process.log(),
        timeout,
        () -> {
          String output = process.output();
          int[] ports = boundPorts(output);
          if (ports == null) {
            process.checkAlive();
          } else {
            Matcher node = NODE.matcher(output);
            nodePort = node.find() ? Integer.parseInt(node.group(1)) : -1;
          }
          return ports;
        });
  }

  /**
   * The node port of the current run (the message fabric, which also serves {@code /metrics} and
   * {@code /health}); -1 before a start.
   */
  public int nodePort() {
    return nodePort;
  }

  /** {@code http://127.0.0.1:<node port>}. */
  public String nodeUrl() {
    return "http://127.0.0.1:" + nodePort;
  }

  /**
   * {ingress, admin} from restate-server's log, or null while either listener has not been logged.
   */
  static int[] boundPorts(String log) {
    Matcher ingress = INGRESS.matcher(log);
    Matcher admin = ADMIN.matcher(log);
    if (!ingress.find() || !admin.find()) {
      return null;
    }
    return new int[] {Integer.parseInt(ingress.group(1)), Integer.parseInt(admin.group(1))};
  }

  /**
   * {@code server_name: <name>} and, before the next log record (a line starting with a digit), its
   * port.
   */
  private static Pattern listener(String serverName) {
    return Pattern.compile(
        "server_name: "
            + Pattern.quote(serverName)
            + "\\s*\\R(?:(?!\\d)[^\\n]*\\R)*?"
            + "\\s*server\\.port: (\\d+)");
  }

  @Override
  protected String name() {
    return "restate-server";
  }
}
