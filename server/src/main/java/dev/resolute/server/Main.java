package dev.resolute.server;

import dev.resolute.server.config.ConfigException;
import dev.resolute.server.config.ConfigLoader;
import dev.resolute.server.config.NodeMarker;
import dev.resolute.server.config.ServerConfig;
import dev.resolute.server.logging.ConsoleLogging;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
                             [--log-filter=FILTER] [--log-format=FORMAT] [OPTIONS]
      Resolute server, wire-compatible with restate-server 1.7.
            --base-dir=DIR        Data root; data lives in <base-dir>/<node-name>
        -c, --config-file=FILE    TOML configuration file (env: RESTATE_CONFIG)
            --cluster-name=NAME   Cluster name (default: localcluster)
            --default-num-partitions=N
                                  Partitions at the first start of a data directory
                                    (default: 24)
            --dump-config         Print the effective configuration as TOML and exit
        -h, --help                Show this help message and exit.
            --log-filter=FILTER   Log levels, RUST_LOG syntax (default: warn,restate=info;
                                    the target restate is Resolute's own code)
            --log-format=FORMAT   pretty | compact (text lines) | json (one JSON
                                    object per line)
            --no-logo             Accepted for compatibility with restate-server
            --node-name=NAME      Node name (default: resolute)
            --tracing-endpoint=URL
                                  OTLP endpoint of invocation traces: http://host:4317
                                    (gRPC) or otlp+http://host:4318/v1/traces (HTTP)
            --tracing-services-endpoint=URL
                                  Overrides --tracing-endpoint for invocation traces
        -V, --version             Print version information and exit.
      Also accepted, as restate-server 1.7.12 accepts them, with a warning naming each
      (they configure what a single Resolute node does not have): --production,
        --listen-mode, --use-random-ports, --advertised-host, --bind-ip, --bind-port,
        --roles, --location, --force-node-id, --auto-provision,
        --metadata-store-address, --bind-address, --advertised-address,
        --shutdown-timeout, --tracing-runtime-endpoint, --tracing-json-path,
        --tracing-filter,
        --log-disable-ansi-codes. Refused: --metadata-migration-mode.
      """;

  /**
   * restate-server 1.7.12's options that take a value, each setting the top-level configuration key
   * of the same name (so the {@link dev.resolute.server.config.KeyCatalog} decides what happens to
   * it), with the label printed when the value is missing.
   */
  static final Map<String, String> VALUE_OPTIONS = valueOptions();

  private static Map<String, String> valueOptions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("--base-dir", "DIR");
    m.put("--node-name", "NAME");
    m.put("--cluster-name", "NAME");
    m.put("--default-num-partitions", "N");
    for (String o :
        List.of(
            "listen-mode",
            "use-random-ports",
            "advertised-host",
            "bind-ip",
            "bind-port",
            "location",
            "force-node-id",
            "auto-provision",
            "metadata-store-address",
            "bind-address",
            "advertised-address",
            "shutdown-timeout",
            "tracing-endpoint",
            "tracing-runtime-endpoint",
            "tracing-services-endpoint",
            "tracing-json-path",
            "tracing-filter",
            "log-filter",
            "log-format",
            "log-disable-ansi-codes")) {
      m.put("--" + o, o.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
    return Map.copyOf(m);
  }

  Path configFile;
  boolean dumpConfig;

  /** Configuration keys set by options, in the order given (the last of a repeated one wins). */
  final Map<String, Object> cliKeys = new LinkedHashMap<>();

  private final List<String> roles = new ArrayList<>();
  private final Map<String, String> env;
  private PrintWriter out;
  private PrintWriter err;
  private boolean runUntilShutdown = true;
  private StartupTimeline timeline;

  Main(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    StartupTimeline timeline = StartupTimeline.sinceProcessStart();
    int code =
        run(
            args,
            System.getenv(),
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true),
            true,
            timeline);
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
    return run(args, env, out, err, block, StartupTimeline.startingNow());
  }

  private static int run(
      String[] args,
      Map<String, String> env,
      PrintWriter out,
      PrintWriter err,
      boolean block,
      StartupTimeline timeline) {
    Main main = new Main(env);
    main.timeline = timeline;
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
        case "--dump-config", "--no-logo", "--production", "--metadata-migration-mode" -> {
          if (value != null) {
            return "option '" + name + "' should be specified without '" + value + "' parameter";
          }
          switch (name) {
            case "--dump-config" -> dumpConfig = true;
            case "--production" -> cliKeys.put("production", "true");
            case "--metadata-migration-mode" -> cliKeys.put("metadata-migration-mode", "true");
            default -> {}
          }
        }
        case "--roles" -> {
          // restate-server: --roles=a,b or --roles a (repeatable); the value may be omitted
          if (value == null && i + 1 < args.length && !args[i + 1].startsWith("-")) {
            value = args[++i];
          }
          if (value != null) {
            for (String r : value.split(",")) {
              if (!r.isBlank()) {
                roles.add(r.strip());
              }
            }
          }
          cliKeys.put("roles", List.copyOf(roles));
        }
        default -> {
          String longName = name.equals("-c") ? "--config-file" : name;
          String label = longName.equals("--config-file") ? "FILE" : VALUE_OPTIONS.get(longName);
          if (label == null) {
            return a.startsWith("-")
                ? "Unknown option: '" + a + "'"
                : "Unmatched argument at index " + i + ": '" + a + "'";
          }
          if (value == null) {
            if (i + 1 >= args.length) {
              return "Missing required parameter for option '" + longName + "' (" + label + ")";
            }
            value = args[++i];
          }
          if (longName.equals("--config-file")) {
            configFile = Path.of(value);
          } else {
            cliKeys.put(longName.substring(2), value);
          }
        }
      }
    }
    return null;
  }

  /**
   * Loads the configuration from {@code --config-file}/RESTATE_CONFIG, the env and the options;
   * {@code notes} receives the warnings about keys Resolute accepts without applying them.
   */
  ServerConfig loadConfig(List<String> notes) {
    Path file = configFile;
    if (file == null && env.get("RESTATE_CONFIG") != null && !env.get("RESTATE_CONFIG").isBlank()) {
      file = Path.of(env.get("RESTATE_CONFIG"));
    }
    return ConfigLoader.loadQuietly(file, env, cliKeys, notes);
  }

  int call() {
    ServerConfig config;
    List<String> notes = new ArrayList<>();
    try {
      config = loadConfig(notes);
    } catch (ConfigException e) {
      err.println(e.report());
      err.flush();
      return 1;
    }
    ConsoleLogging.apply(config.logging());
    for (String note : notes) {
      LOG.warn(note);
    }
    if (dumpConfig) {
      out.print(config.toToml());
      out.flush();
      return 0;
    }
    timeline.step("config");
    LOG.info(
        "starting node '{}' of cluster '{}', data in {}",
        config.nodeName(),
        config.clusterName(),
        config.dataDir().toAbsolutePath());
    ResoluteServer server;
    try {
      // the node marker is checked (or written) once both ports are bound: a port conflict must
      // not leave a data directory behind
      server = ResoluteServer.start(config, c -> NodeMarker.verifyOrCreate(c), timeline);
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
    // counted from before the ports are announced, so a launcher's first requests count
    ClassDataArchive archive = ClassDataArchive.fromSystemProperty();
    if (archive != null) {
      server.wrapIngressPort(archive::counting);
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
                  if (archive != null) {
                    archive.writeAtStop(); // a run that served fewer requests than it waits for
                  }
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
