package dev.resolute.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The Resolute server ({@code dev.resolute.server.Main}) as a child JVM on a classpath that holds
 * the server (by default this test JVM's: {@code server/target/classes} and its dependencies, or
 * the {@code resolute-server} jar in the reactor). It takes restate-server's command line and
 * {@code RESTATE_…} environment.
 *
 * <p>Ports: ingress, admin and the node port bind {@code 127.0.0.1:0}; the server writes the bound
 * ports ({@code ingress=}, {@code admin=}, {@code node=}) to the file named by the system property
 * {@code resolute.ports.file} ({@code <work dir>/server.ports}, moved into place whole) once all
 * listen, and this launcher reads them from there.
 */
public final class ResoluteProcess extends ServerProcess {
  private final String classpath;

  /**
   * The {@code ./resolute-server} script, or null: the JVM started directly on {@link #classpath}.
   */
  private final Path launcher;

  private final List<String> extraArgs = new ArrayList<>();
  private int nodePort = -1;
  private final List<String> jvmOptions = new ArrayList<>();

  private ResoluteProcess(Path workDir, String classpath, Path launcher) {
    super(workDir);
    this.classpath = classpath;
    this.launcher = launcher;
  }

  /** Not started; work dir {@code target/processes/<name>-<nanos>}, the test classpath. */
  public static ResoluteProcess create(String name) {
    return new ResoluteProcess(newWorkDir("resolute-" + name), ChildProcess.testClasspath(), null);
  }

  /** Not started; the given work dir and classpath. */
  public static ResoluteProcess create(Path workDir, String classpath) {
    return new ResoluteProcess(workDir, classpath, null);
  }

  /**
   * Not started; the given work dir, started as a user starts it: by the {@code ./resolute-server}
   * script at the repository root (its JVM options, its class-data archive, RocksDB's library
   * extracted once), on the server jar and {@code server/target/lib} that the reactor's package
   * phase built ({@code RESOLUTE_NO_BUILD=1}: no nested build). {@link #jvmOptions} go to {@code
   * JAVA_OPTS}; the test JVM's {@code java.home} is the launcher's {@code JAVA_HOME}.
   */
  public static ResoluteProcess launcher(Path workDir) {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("resolute-server"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "./resolute-server not found above " + Path.of("").toAbsolutePath());
    }
    return new ResoluteProcess(workDir, null, p.resolve("resolute-server"));
  }

  /** Extra command-line options (e.g. {@code --default-num-partitions 4}). */
  public ResoluteProcess args(String... args) {
    extraArgs.addAll(List.of(args));
    return this;
  }

  /**
   * Extra JVM options, after {@link ChildProcess#javaCommand}'s {@code -Xmx512m} (so an {@code
   * -Xmx} here wins), e.g. the launcher's {@code -XX:+UseSerialGC -Xmx1g}.
   */
  public ResoluteProcess jvmOptions(String... options) {
    jvmOptions.addAll(List.of(options));
    return this;
  }

  @Override
  public ResoluteProcess env(Map<String, String> extra) {
    super.env(extra);
    return this;
  }

  @Override
  public ResoluteProcess start() {
    super.start();
    return this;
  }

  Path portsFile() {
    return workDir().resolve("server.ports");
  }

  @Override
  protected List<String> command() {
    List<String> args = new ArrayList<>(List.of("--base-dir", dataDir().toString(), "--no-logo"));
    args.addAll(extraArgs);
    if (launcher != null) {
      List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
      cmd.addAll(args);
      return cmd; // JVM options: JAVA_OPTS (see bindAnyPortEnv)
    }
    List<String> jvm = new ArrayList<>(jvmOptions);
    jvm.add("-Dresolute.ports.file=" + portsFile());
    return ChildProcess.javaCommand(classpath, jvm, "dev.resolute.server.Main", args);
  }

  @Override
  protected Map<String, String> bindAnyPortEnv() {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("RESTATE_INGRESS__BIND_ADDRESS", "127.0.0.1:0");
    env.put("RESTATE_ADMIN__BIND_ADDRESS", "127.0.0.1:0");
    env.put("RESTATE_BIND_ADDRESS", "127.0.0.1:0");
    if (launcher != null) {
      List<String> jvm = new ArrayList<>(jvmOptions);
      jvm.add("-Dresolute.ports.file=" + portsFile());
      env.put("JAVA_OPTS", String.join(" ", jvm));
      env.put("JAVA_HOME", System.getProperty("java.home"));
      env.put("RESOLUTE_NO_BUILD", "1");
    }
    return env;
  }

  @Override
  protected void beforeLaunch() throws IOException {
    Files.deleteIfExists(portsFile()); // the previous run's ports
  }

  @Override
  protected int[] awaitPorts(ChildProcess process, Duration timeout) {
    Properties ports =
        Wait.forValue(
            "Resolute to write " + portsFile(),
            timeout,
            () -> {
              if (!Files.exists(portsFile())) {
                process.checkAlive();
                return null;
              }
              Properties p = new Properties();
              try (var in = Files.newBufferedReader(portsFile())) {
                p.load(in);
              }
              return p;
            });
    nodePort = Integer.parseInt(ports.getProperty("node", "-1"));
    return new int[] {
      Integer.parseInt(ports.getProperty("ingress")), Integer.parseInt(ports.getProperty("admin"))
    };
  }

  /**
   * The launcher's application class-data archive ({@code server/target/resolute-cds.jsa}, written
   * by the first node it starts once that node has answered requests); null when not started by the
   * launcher.
   */
  public Path classDataArchive() {
    return launcher == null
        ? null
        : launcher.getParent().resolve("server").resolve("target").resolve("resolute-cds.jsa");
  }

  /** The node port ({@code /metrics}, {@code /health}) of the current run; -1 before a start. */
  public int nodePort() {
    return nodePort;
  }

  /** {@code http://127.0.0.1:<node port>}. */
  public String nodeUrl() {
    return "http://127.0.0.1:" + nodePort;
  }

  @Override
  protected String name() {
    return "Resolute";
  }
}
