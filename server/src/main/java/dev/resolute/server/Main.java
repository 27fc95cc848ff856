package dev.resolute.server;

import dev.resolute.server.config.ConfigException;
import dev.resolute.server.config.ConfigLoader;
import dev.resolute.server.config.NodeMarker;
import dev.resolute.server.config.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code resolute-server}: loads the configuration (defaults &lt; {@code --config-file} &lt; {@code
 * RESTATE_…} env &lt; command line), then starts the node and runs until SIGTERM/SIGINT. Exit
 * codes: 0 ok, 1 configuration error (RT0002) or startup failure, 2 bad command line.
 *
 * <p>The command line is parsed here rather than by a library: an option parser that reflects over
 * annotations loaded ~170 classes (not archivable for class-data sharing) on every start.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  static final String VERSION_LINE = "resolute-server 0.1.0";
  static final String USAGE =
      """
      Usage: resolute-server [-hV] [--dump-config] [--no-logo] [--base-dir=DIR]
                             [-c=FILE] [--cluster-name=NAME]
                             [--default-num-partitions=N] [--node-name=NAME]
      Resolute server, wire-compatible with restate-server 1.7.
            --base-dir=DIR        Data root; data lives in <base-dir>/<node-name>
        -c, --config-file=FILE    TOML configuration file (env: RESTATE_CONFIG)
            --cluster-name=NAME   Cluster name (default: localcluster)
            --default-num-partitions=N
                                  Partitions at the first start of a data directory
                                    (default: 24)
            --dump-config         Print the effective configuration as TOML and exit
        -h, --help                Show this help message and exit.
            --no-logo             Accepted for compatibility with restate-server
            --node-name=NAME      Node name (default: resolute)
        -V, --version             Print version information and exit.
      """;

  Path configFile;
  boolean dumpConfig;
  String baseDir;
  String nodeName;
  String clusterName;
  String defaultNumPartitions;

  private final Map<String, String> env;
  private PrintWriter out;
  private PrintWriter err;
  private boolean runUntilShutdown = true;

  Main(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    int code =
        run(
            args,
            System.getenv(),
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true),
            true);
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
  static int run(
      String[] args, Map<String, String> env, PrintWriter out, PrintWriter err, boolean block) {
    Main main = new Main(env);
    main.out = out;
    main.err = err;
    main.runUntilShutdown = block;
    String problem;
    try {
      problem = main.parse(args);
    } catch (NumberFormatException e) {
      problem = e.getMessage();
    }
    if (problem == null) {
      return main.call();
    }
    if (problem.isEmpty()) {
      return 0; // --help or --version answered
    }
    err.println(problem);
    err.print(USAGE);
    err.flush();
    return 2;
  }

  /**
   * Parses the options; returns null to go on, "" when help/version was printed, else the problem.
   */
  private String parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("-") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      switch (name) {
        case "-h", "--help" -> {
          out.print(USAGE);
          out.flush();
          return "";
        }
        case "-V", "--version" -> {
          out.println(VERSION_LINE);
          out.flush();
          return "";
        }
        case "--dump-config", "--no-logo" -> {
          if (value != null) {
            return "option '" + name + "' should be specified without '" + value + "' parameter";
          }
          if (name.equals("--dump-config")) {
            dumpConfig = true;
          }
        }
        case "-c",
            "--config-file",
            "--base-dir",
            "--node-name",
            "--cluster-name",
            "--default-num-partitions" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              return "Missing required parameter for option '"
                  + longName(name)
                  + "' ("
                  + label(name)
                  + ")";
            }
            value = args[++i];
          }
          switch (longName(name)) {
            case "--config-file" -> configFile = Path.of(value);
            case "--base-dir" -> baseDir = value;
            case "--node-name" -> nodeName = value;
            case "--cluster-name" -> clusterName = value;
            default -> defaultNumPartitions = value;
          }
        }
        default -> {
          return a.startsWith("-")
              ? "Unknown option: '" + a + "'"
              : "Unmatched argument at index " + i + ": '" + a + "'";
        }
      }
    }
    return null;
  }

  private static String longName(String name) {
    return name.equals("-c") ? "--config-file" : name;
  }

  private static String label(String name) {
    return switch (longName(name)) {
      case "--config-file" -> "FILE";
      case "--base-dir" -> "DIR";
      case "--default-num-partitions" -> "N";
      default -> "NAME";
    };
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

  int call() {
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
    LOG.info(
        "starting node '{}' of cluster '{}', data in {}",
        config.nodeName(),
        config.clusterName(),
        config.dataDir().toAbsolutePath());
    ResoluteServer server;
    try {
      // the node marker is checked (or written) once both ports are bound: a port conflict must
      // not leave a data directory behind
      server = ResoluteServer.start(config, c -> NodeMarker.verifyOrCreate(c));
    } catch (ConfigException e) {
      err.println(e.report());
      err.flush();
      return 1;
    } catch (StartupException e) {
      // a known cause: one line, no stack trace
      err.println(e.line());
      err.flush();
      return 1;
    } catch (UncheckedIOException e) {
      err.println("cannot start: " + e.getMessage());
      err.flush();
      return 1;
    } catch (RuntimeException e) {
      LOG.error("startup failed", e);
      err.println("startup failed: " + e.getMessage());
      err.flush();
      return 1;
    }
    String portsFile = System.getProperty("resolute.ports.file");
    if (portsFile != null) {
      try {
        // tells a launcher that bound port 0 which ports the node got; written whole, then moved
        // into place
        Path target = Path.of(portsFile);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(
            tmp,
            "ingress="
                + server.ingressPort()
                + "\nadmin="
                + server.adminPort()
                + "\nnode="
                + server.nodePort()
                + "\n");
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot write {}", portsFile, e);
      }
    }
    String cdsStarted = System.getProperty("resolute.cds.started");
    if (cdsStarted != null) {
      try {
        // tells the launcher that the class-data archive this run writes at exit is complete
        java.nio.file.Files.writeString(Path.of(cdsStarted), "");
      } catch (java.io.IOException | RuntimeException e) {
        LOG.debug("cannot write {}", cdsStarted, e);
      }
    }
    if (!runUntilShutdown) {
      server.close();
      return 0;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("shutting down");
                  try {
                    server.close();
                  } finally {
                    stopped.countDown();
                  }
                },
                "resolute-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
