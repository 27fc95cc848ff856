package dev.resolute.server;

import dev.resolute.server.config.ConfigException;
import dev.resolute.server.config.ConfigLoader;
import dev.resolute.server.config.NodeMarker;
import dev.resolute.server.config.ServerConfig;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code resolute-server}: loads the configuration (defaults &lt; {@code --config-file} &lt;
 * {@code RESTATE_…} env &lt; command line), then starts the node and runs until SIGTERM/SIGINT.
 * Exit codes: 0 ok, 1 configuration error (RT0002) or startup failure, 2 bad command line.
 */
@Command(name = "resolute-server", mixinStandardHelpOptions = true, version = "resolute-server 0.1.0",
    description = "Resolute server, wire-compatible with restate-server 1.7.")
public final class Main implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @Option(names = {"-c", "--config-file"}, paramLabel = "FILE",
      description = "TOML configuration file (env: RESTATE_CONFIG)")
  Path configFile;

  @Option(names = "--dump-config",
      description = "Print the effective configuration as TOML and exit")
  boolean dumpConfig;

  @Option(names = "--base-dir", paramLabel = "DIR", description = "Data root; data lives in <base-dir>/<node-name>")
  String baseDir;

  @Option(names = "--node-name", paramLabel = "NAME", description = "Node name (default: resolute)")
  String nodeName;

  @Option(names = "--cluster-name", paramLabel = "NAME", description = "Cluster name (default: localcluster)")
  String clusterName;

  @Option(names = "--default-num-partitions", paramLabel = "N",
      description = "Partitions at the first start of a data directory (default: 24)")
  String defaultNumPartitions;

  @Option(names = "--no-logo", description = "Accepted for compatibility with restate-server")
  boolean noLogo;

  private final Map<String, String> env;
  private PrintWriter out;
  private PrintWriter err;
  private boolean runUntilShutdown = true;

  Main(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    int code = run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), true);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs the command; testable without a process.
   *
   * @param block when true, a successful start blocks until the JVM shuts down
   * @return the exit code
   */
  static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err, boolean block) {
    Main main = new Main(env);
    main.out = out;
    main.err = err;
    main.runUntilShutdown = block;
    CommandLine cl = new CommandLine(main);
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  /** Loads the configuration from {@code --config-file}/RESTATE_CONFIG, the env and the options. */
  ServerConfig loadConfig() {
    Path file = configFile;
    if (file == null && env.get("RESTATE_CONFIG") != null && !env.get("RESTATE_CONFIG").isBlank()) {
      file = Path.of(env.get("RESTATE_CONFIG"));
    }
    Map<String, String> cli = new LinkedHashMap<>();
    if (baseDir != null) {
      cli.put("base-dir", baseDir);
    }
    if (nodeName != null) {
      cli.put("node-name", nodeName);
    }
    if (clusterName != null) {
      cli.put("cluster-name", clusterName);
    }
    if (defaultNumPartitions != null) {
      cli.put("default-num-partitions", defaultNumPartitions);
    }
    return ConfigLoader.load(file, env, cli);
  }

  @Override
  public Integer call() {
    ServerConfig config;
    try {
      config = loadConfig();
    } catch (ConfigException e) {
      err.println(e.report());
      err.flush();
      return 1;
    }
    if (dumpConfig) {
      out.print(config.toToml());
      out.flush();
      return 0;
    }
    try {
      NodeMarker.verifyOrCreate(config);
    } catch (ConfigException e) {
      err.println(e.report());
      err.flush();
      return 1;
    }
    LOG.info("starting node '{}' of cluster '{}', data in {}", config.nodeName(), config.clusterName(),
        config.dataDir().toAbsolutePath());
    ResoluteServer server;
    try {
      server = ResoluteServer.start(config);
    } catch (UncheckedIOException e) {
      err.println("[RT0004] cannot start: " + e.getMessage());
      err.flush();
      return 1;
    } catch (RuntimeException e) {
      LOG.error("startup failed", e);
      err.println("startup failed: " + e.getMessage());
      err.flush();
      return 1;
    }
    if (!runUntilShutdown) {
      server.close();
      return 0;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      try {
        server.close();
      } finally {
        stopped.countDown();
      }
    }, "resolute-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
