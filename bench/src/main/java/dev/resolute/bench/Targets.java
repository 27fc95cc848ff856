package dev.resolute.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the bench drivers ({@link Compare}, {@link SqlBench}) share: the two servers under test
 * (Resolute and restate-server) with their ports and environment, the check that no port is taken,
 * and the command-line parsing. Each driver has its own port block so that the two can run side by
 * side.
 */
final class Targets {
  static final String HOST = "127.0.0.1";

  /** The ports of one server: ingress, admin, node (fabric) and its bench deployment. */
  record Ports(int ingress, int admin, int node, int services) {
    Ports plus(int off) {
      return new Ports(ingress + off, admin + off, node + off, services + off);
    }
  }

  private Targets() {}

  /**
   * The targets named in {@code names} ({@code resolute}, {@code restate}), in that order. Reads
   * the options {@code resolute-java-opts} and {@code restate-bin}; {@code servicesJvm} is the
   * deployment's command without its port.
   */
  static Map<String, Target> of(
      Map<String, String> opt,
      Path root,
      Path work,
      List<String> names,
      List<String> servicesJvm,
      Ports resolute,
      Ports restate) {
    Map<String, Target> targets = new LinkedHashMap<>();
    for (String t : names) {
      switch (t) {
        case "resolute" -> {
          Map<String, String> env = bindEnv(resolute);
          env.put("RESOLUTE_NO_BUILD", "1");
          if (opt.containsKey("resolute-java-opts")) {
            env.put("JAVA_OPTS", opt.get("resolute-java-opts"));
          }
          targets.put(
              t,
              target(
                  "resolute",
                  List.of(
                      root.resolve("resolute-server").toString(),
                      "--base-dir",
                      work.resolve("resolute-data").toString()),
                  env,
                  work,
                  resolute,
                  servicesJvm));
        }
        case "restate" -> {
          Map<String, String> env = bindEnv(restate);
          env.put("RESTATE_ADVERTISED_ADDRESS", "http://" + HOST + ":" + restate.node() + "/");
          env.put("RESTATE_LOG_FORMAT", "compact");
          String bin =
              opt.getOrDefault(
                  "restate-bin",
                  root.resolve(
                          ".peers/node_modules/@restatedev/restate-server-linux-x64/bin/restate-server")
                      .toString());
          targets.put(
              t,
              target(
                  "restate",
                  List.of(bin, "--base-dir", work.resolve("restate-data").toString()),
                  env,
                  work,
                  restate,
                  servicesJvm));
        }
        default ->
            throw new IllegalArgumentException("unknown target " + t + " (resolute, restate)");
      }
    }
    return targets;
  }

  private static Map<String, String> bindEnv(Ports p) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RESTATE_INGRESS__BIND_ADDRESS", HOST + ":" + p.ingress());
    env.put("RESTATE_ADMIN__BIND_ADDRESS", HOST + ":" + p.admin());
    env.put("RESTATE_BIND_ADDRESS", HOST + ":" + p.node());
    return env;
  }

  private static Target target(
      String name,
      List<String> command,
      Map<String, String> env,
      Path work,
      Ports p,
      List<String> servicesJvm) {
    return new Target(
        name,
        command,
        env,
        work.resolve(name + "-data"),
        work,
        p.ingress(),
        p.admin(),
        p.services(),
        with(servicesJvm, String.valueOf(p.services())));
  }

  /**
   * The command of a bench deployment JVM running {@code mainClass} on this JVM's class path,
   * without its port (the last argument, which {@link #of} adds).
   */
  static List<String> deploymentJvm(String mainClass) {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(
        javaBin,
        "-Xmx512m",
        "-XX:+UseParallelGC",
        "-cp",
        System.getProperty("java.class.path"),
        mainClass);
  }

  /** Refuses to start when a port of any target is taken (a server left from an earlier run?). */
  static void requireFreePorts(Collection<Target> targets) {
    for (Target t : targets) {
      for (int port : new int[] {t.ingressPort, t.adminPort, t.servicesPort}) {
        if (Target.portInUse(port)) {
          throw new IllegalStateException(
              "port " + port + " is in use (a server left from an earlier run?)");
        }
      }
    }
  }

  /** {@code a} with {@code b} appended (a new list). */
  static List<String> with(List<String> a, String b) {
    List<String> l = new ArrayList<>(a);
    l.add(b);
    return l;
  }

  /**
   * Parses {@code --name value}, {@code --name=value} and the bare {@code flags} (which take no
   * value and read as {@code "true"}). Any name not in {@code options} is refused, so a misspelt
   * one is never ignored.
   */
  static Map<String, String> parse(String[] args, Set<String> options, Set<String> flags) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + a);
      }
      String k = a.substring(2);
      int eq = k.indexOf('=');
      String name = eq >= 0 ? k.substring(0, eq) : k;
      if (!options.contains(name)) {
        throw new IllegalArgumentException(
            "unknown option "
                + a
                + " (options: --"
                + String.join(" --", new TreeSet<>(options))
                + ")");
      }
      if (eq >= 0) {
        m.put(name, k.substring(eq + 1));
      } else if (flags.contains(k)) {
        m.put(k, "true");
      } else if (i + 1 < args.length) {
        m.put(k, args[++i]);
      } else {
        throw new IllegalArgumentException("missing value for " + a);
      }
    }
    return m;
  }

  /**
   * One row of a results table ({@link Compare}, {@link ClusterBench}): the scenario, who ran it,
   * the load's throughput and latencies, errors, three CPU columns in ms per request (which
   * processes: the caller's header says), the machine's busy cores and a note.
   */
  static String resultRow(
      String scenario,
      String who,
      LoadGen.Result r,
      double cpu1,
      double cpu2,
      double cpu3,
      double busyCores,
      String note) {
    return String.format(
        java.util.Locale.ROOT,
        "| %s | %s | %.0f | %.2f | %.2f | %.2f | %.1f | %d | %.3f | %.3f | %.3f | %.2f | %s |",
        scenario,
        who,
        r.throughput(),
        r.percentileMillis(50),
        r.percentileMillis(90),
        r.percentileMillis(99),
        r.maxMillis(),
        r.errors(),
        cpu1,
        cpu2,
        cpu3,
        busyCores,
        note);
  }

  /** {@code throughput | p50 | p99} of {@code a} over {@code b}, two decimals each. */
  static String ratios(LoadGen.Result a, LoadGen.Result b) {
    return String.format(
        java.util.Locale.ROOT,
        "%.2f | %.2f | %.2f",
        a.throughput() / b.throughput(),
        a.percentileMillis(50) / b.percentileMillis(50),
        a.percentileMillis(99) / b.percentileMillis(99));
  }
}
