package dev.resolute.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.testsupport.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cluster mode against the single node ({@code ./bench/cluster}): the bench scenarios on Resolute
 * with its local log ({@code local}), one node on a one-broker Kafka ({@code kafka-1}) and three
 * nodes on the same broker with the load's connections spread over the three nodes' ingress ({@code
 * kafka-3}), each optionally also with epoch fencing instead of transactional ({@code
 * kafka-1-epoch}, {@code kafka-3-epoch}). Every setup runs at once (idle while another is
 * measured); each scenario runs against them in turn, the order reversed every other scenario.
 * Prints one row per (scenario, setup) and the ratios to {@code local}. See the bench README.
 */
public final class ClusterBench {
  private static final String HOST = Targets.HOST;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One setup: its nodes (node 1 first), its deployment JVM and what it served. */
  static final class Setup {
    final String name;
    final List<Target> nodes = new ArrayList<>();
    final int servicesPort;
    Process services;
    long invocations;

    Setup(String name, int servicesPort) {
      this.name = name;
      this.servicesPort = servicesPort;
    }

    long cpuMillis() {
      long sum = 0;
      for (Target t : nodes) {
        sum += ProcStats.cpuMillis(t.pid());
      }
      return sum;
    }
  }

  private record Measured(
      Scenario scenario,
      String setup,
      LoadGen.Result r,
      long nodesCpu,
      long brokerCpu,
      long servicesCpu,
      double machineBusyCores,
      String note) {
    double perReq(long cpuMillis) {
      return r.ok() == 0 ? Double.NaN : cpuMillis / (double) r.ok();
    }
  }

  static final List<String> DEFAULT_SETUPS = List.of("local", "kafka-1", "kafka-3");

  public static void main(String[] args) throws Exception {
    Map<String, String> opt =
        Targets.parse(
            args,
            java.util.Set.of(
                "quick",
                "only",
                "out",
                "pid-file",
                "resolute-java-opts",
                "duration",
                "warmup",
                "prewarm",
                "port-offset",
                "root",
                "setups",
                "partitions",
                "work-dir"),
            java.util.Set.of("quick"));
    boolean quick = opt.containsKey("quick");
    Duration warmup = seconds(opt.getOrDefault("warmup", quick ? "1" : "5"));
    Duration measure = seconds(opt.getOrDefault("duration", quick ? "3" : "15"));
    double prewarm = Double.parseDouble(opt.getOrDefault("prewarm", quick ? "3" : "20"));
    Path root = Path.of(opt.getOrDefault("root", ".")).toAbsolutePath().normalize();
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now());
    Path work =
        Path.of(
            opt.getOrDefault("work-dir", root.resolve("bench/target/cluster-" + stamp).toString()));
    Files.createDirectories(work);
    Target.Children.pidFile = opt.containsKey("pid-file") ? Path.of(opt.get("pid-file")) : null;
    List<String> only = opt.containsKey("only") ? Arrays.asList(opt.get("only").split(",")) : null;
    List<String> setupNames =
        opt.containsKey("setups") ? Arrays.asList(opt.get("setups").split(",")) : DEFAULT_SETUPS;
    int off = Integer.parseInt(opt.getOrDefault("port-offset", "0"));
    String partitions = opt.getOrDefault("partitions", "24");
    List<String> servicesJvm = Targets.deploymentJvm("dev.resolute.bench.services.BenchServices");

    String loadBefore = ProcStats.loadAverage();
    try (KafkaBroker broker = KafkaBroker.at(work.resolve("kafka")).start()) {
      appendPid(broker.pid());
      List<Setup> setups = new ArrayList<>();
      int nodeIndex = 0;
      for (int s = 0; s < setupNames.size(); s++) {
        String name = setupNames.get(s);
        int count;
        String fencing;
        switch (name) {
          case "local" -> {
            count = 1;
            fencing = null;
          }
          case "kafka-1", "kafka-3", "kafka-1-tx", "kafka-3-tx" -> {
            count = name.startsWith("kafka-3") ? 3 : 1;
            fencing = name.endsWith("-tx") ? "transactional" : "epoch";
          }
          default ->
              throw new IllegalArgumentException(
                  "unknown setup " + name + " (local, kafka-1, kafka-3, kafka-1-tx, kafka-3-tx)");
        }
        Setup setup = new Setup(name, 23500 + s + off);
        for (int n = 1; n <= count; n++) {
          int base = 23100 + 10 * nodeIndex++ + off;
          Path dir = work.resolve(name + "-n" + n);
          Files.createDirectories(dir);
          List<String> toml = new ArrayList<>();
          toml.add("node-name = \"" + name + "-n" + n + "\"");
          toml.add("default-num-partitions = " + partitions);
          if (fencing != null) {
            toml.add("[cluster]");
            toml.add("node-id = " + n);
            toml.add("bootstrap-servers = \"" + broker.bootstrapServers() + "\"");
            toml.add("topic = \"bench-" + name + "-log\"");
            toml.add("replication-factor = 1");
            toml.add("min-insync-replicas = 1");
            toml.add("fencing = \"" + fencing + "\"");
          }
          Path config = dir.resolve("config.toml");
          Files.writeString(config, String.join("\n", toml) + "\n");
          Map<String, String> env = new LinkedHashMap<>();
          env.put("RESTATE_INGRESS__BIND_ADDRESS", HOST + ":" + base);
          env.put("RESTATE_ADMIN__BIND_ADDRESS", HOST + ":" + (base + 1));
          env.put("RESTATE_BIND_ADDRESS", HOST + ":" + (base + 2));
          env.put("RESOLUTE_NO_BUILD", "1");
          if (opt.containsKey("resolute-java-opts")) {
            env.put("JAVA_OPTS", opt.get("resolute-java-opts"));
          }
          Target t =
              new Target(
                  name + "-n" + n,
                  List.of(
                      root.resolve("resolute-server").toString(),
                      "--base-dir",
                      dir.resolve("data").toString(),
                      "--config-file",
                      config.toString()),
                  env,
                  dir.resolve("data"),
                  work,
                  base,
                  base + 1,
                  setup.servicesPort,
                  List.of());
          if (Target.portInUse(base) || Target.portInUse(base + 1)) {
            throw new IllegalStateException("port " + base + " or " + (base + 1) + " is in use");
          }
          setup.nodes.add(t);
        }
        setups.add(setup);
      }

      StringBuilder report = new StringBuilder();
      report.append(
          String.format(
              Locale.ROOT,
              "## Cluster run %s%s%n%nMachine: %d cores; load average before the run: %s. One"
                  + " Kafka broker (KRaft, %s). Setups: %s; %s partitions. Each scenario: %d s"
                  + " warm-up, %d s measured; setup order alternates per scenario. Deployment:"
                  + " the official Restate Java SDK bench services, one JVM per setup.%n%n",
              ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
              quick ? " (--quick: smoke test, numbers not meaningful)" : "",
              Runtime.getRuntime().availableProcessors(),
              loadBefore,
              broker.bootstrapServers(),
              String.join(", ", setupNames),
              partitions,
              warmup.toSeconds(),
              measure.toSeconds()));
      System.out.print(report);

      for (Setup s : setups) {
        start(s, servicesJvm, work);
      }

      if (prewarm > 0) {
        List<Scenario> mix =
            Scenario.all().stream().filter(x -> Compare.PREWARM_MIX.contains(x.name)).toList();
        for (Setup s : setups) {
          for (Scenario x : mix) {
            LoadGen.Result r =
                LoadGen.run(
                    x.inFlight,
                    Duration.ZERO,
                    Duration.ofMillis((long) (prewarm * 1000 / mix.size())),
                    x.source("p" + s.name.replace("-", "")),
                    spread(s));
            s.invocations += r.ok();
          }
          System.out.printf("%s: pre-warmed for %.0f s%n", s.name, prewarm);
        }
      }

      List<Measured> rows = new ArrayList<>();
      List<Scenario> scenarios =
          Scenario.all().stream().filter(x -> only == null || only.contains(x.name)).toList();
      int i = 0;
      for (Scenario sc : scenarios) {
        List<Setup> order = new ArrayList<>(setups);
        if (i++ % 2 == 1) {
          java.util.Collections.reverse(order);
        }
        for (Setup s : order) {
          Measured m = runOne(sc, s, broker.pid(), warmup, measure);
          rows.add(m);
          System.out.println(row(m));
        }
      }
      String loadAfter = ProcStats.loadAverage();
      for (Setup s : setups) {
        for (Target t : s.nodes) {
          t.stopServer();
        }
        Target.Children.stop(s.services, 5);
      }
      report
          .append(table(rows, setupNames))
          .append(
              String.format(
                  Locale.ROOT, "%nLoad average after the measurements: %s.%n", loadAfter));
      String out = report.toString();
      System.out.println();
      System.out.println(out);
      Path file = opt.containsKey("out") ? Path.of(opt.get("out")) : work.resolve("report.md");
      Files.writeString(file, out, StandardCharsets.UTF_8);
      System.out.println("report written to " + file + "; logs in " + work);
    }
  }

  private static Duration seconds(String s) {
    return Duration.ofMillis((long) (1000 * Double.parseDouble(s)));
  }

  private static void appendPid(long pid) throws IOException {
    if (Target.Children.pidFile != null) {
      Files.writeString(
          Target.Children.pidFile,
          pid + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
  }

  /**
   * Starts the setup's deployment and node 1, registers the deployment there (a cluster replicates
   * it to the others through its metadata topic), starts the other nodes, and waits until every
   * node answers an echo and, in a cluster, every partition has a leader and every node is a
   * member.
   */
  private static void start(Setup s, List<String> servicesJvm, Path work) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(Targets.with(servicesJvm, String.valueOf(s.servicesPort)))
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(work.resolve(s.name + "-services.log").toFile()));
    s.services = Target.Children.start(pb);
    Target.waitForPort(s.servicesPort, 60_000, s.services);
    Target first = s.nodes.get(0);
    long ms = first.start();
    first.register();
    for (Target t : s.nodes.subList(1, s.nodes.size())) {
      t.start();
    }
    for (Target t : s.nodes) {
      t.awaitEcho(120_000);
    }
    if (s.nodes.size() > 1 || !s.name.equals("local")) {
      long deadline = System.currentTimeMillis() + 120_000;
      while (!settled(first.adminPort, s.nodes.size())) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(s.name + ": partitions not all led after 120 s");
        }
        Thread.sleep(200);
      }
    }
    System.out.printf(
        "%s: %d node(s) serving (node 1 healthy %d ms after spawn)%n", s.name, s.nodes.size(), ms);
  }

  /** Whether the cluster view shows {@code nodes} members and a leader for every partition. */
  private static boolean settled(int adminPort, int nodes) {
    try (HttpConn c = new HttpConn(HOST, adminPort, 10_000)) {
      HttpConn.Response r = c.send("GET", "/cluster", null);
      if (r.status() != 200) {
        return false;
      }
      JsonNode v = JSON.readTree(r.text());
      if (v.get("nodes").size() != nodes) {
        return false;
      }
      for (JsonNode p : v.get("partitions")) {
        if (p.get("leader_node").asLong() == 0) {
          return false;
        }
      }
      int leaders = 0;
      for (JsonNode n : v.get("nodes")) {
        if (!n.get("partitions").isEmpty()) {
          leaders++;
        }
      }
      return leaders == nodes;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Each worker's connection goes to the next node in turn: the load spread over the nodes. */
  private static LoadGen.Conns spread(Setup s) {
    AtomicInteger next = new AtomicInteger();
    return () -> {
      Target t = s.nodes.get(Math.floorMod(next.getAndIncrement(), s.nodes.size()));
      return new HttpConn(HOST, t.ingressPort, 60_000);
    };
  }

  private static Measured runOne(
      Scenario sc, Setup s, long brokerPid, Duration warmup, Duration measure) throws Exception {
    String run = s.name.replace("-", "") + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    long[] cpu0 = new long[5];
    long[] cpu1 = new long[5];
    ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor();
    ses.schedule(() -> snap(s, brokerPid, cpu0), warmup.toMillis(), TimeUnit.MILLISECONDS);
    ses.schedule(
        () -> snap(s, brokerPid, cpu1),
        warmup.toMillis() + measure.toMillis(),
        TimeUnit.MILLISECONDS);
    LoadGen.Source source = sc.source(run);
    LoadGen.Result r = LoadGen.run(sc.inFlight, warmup, measure, source, spread(s));
    ses.shutdown();
    ses.awaitTermination(30, TimeUnit.SECONDS);
    s.invocations += r.ok();
    String note = sc.after(HOST, s.nodes.get(0).ingressPort);
    if (r.firstError() != null) {
      String e = r.firstError().replace('\n', ' ').replace('|', '/');
      note =
          (note.isEmpty() ? "" : note + "; ")
              + "first error: "
              + (e.length() > 160 ? e.substring(0, 160) + "..." : e);
    }
    double busy =
        (cpu1[3] - cpu0[3])
            / (double) Math.max(1, cpu1[4] - cpu0[4])
            * Runtime.getRuntime().availableProcessors();
    return new Measured(
        sc, s.name, r, cpu1[0] - cpu0[0], cpu1[1] - cpu0[1], cpu1[2] - cpu0[2], busy, note);
  }

  private static void snap(Setup s, long brokerPid, long[] cpu) {
    cpu[0] = s.cpuMillis();
    cpu[1] = ProcStats.cpuMillis(brokerPid);
    cpu[2] = ProcStats.cpuMillis(s.services.pid());
    long[] j = ProcStats.machineJiffies();
    cpu[3] = j[0];
    cpu[4] = j[1];
  }

  private static String row(Measured m) {
    return Targets.resultRow(
        m.scenario().name,
        m.setup(),
        m.r(),
        m.perReq(m.nodesCpu()),
        m.perReq(m.brokerCpu()),
        m.perReq(m.servicesCpu()),
        m.machineBusyCores(),
        m.note());
  }

  private static String table(List<Measured> rows, List<String> setups) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| scenario | setup | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | nodes CPU ms/req"
            + " | broker CPU ms/req | service CPU ms/req | machine busy cores | notes |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Measured m : rows) {
      sb.append(row(m)).append('\n');
    }
    if (setups.contains("local")) {
      sb.append(
          "\nRatios to `local` (throughput: higher is better; latency and CPU: lower is better;"
              + " CPU = nodes + broker):\n\n| scenario | setup | throughput | p50 | p99 | CPU/req"
              + " |\n|---|---|---:|---:|---:|---:|\n");
      Map<String, Map<String, Measured>> by = new LinkedHashMap<>();
      for (Measured m : rows) {
        by.computeIfAbsent(m.scenario().name, k -> new LinkedHashMap<>()).put(m.setup(), m);
      }
      for (Map.Entry<String, Map<String, Measured>> e : by.entrySet()) {
        Measured base = e.getValue().get("local");
        if (base == null) {
          continue;
        }
        for (String s : setups) {
          Measured m = e.getValue().get(s);
          if (m == null || s.equals("local")) {
            continue;
          }
          sb.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %s | %s | %.2f |%n",
                  e.getKey(),
                  s,
                  Targets.ratios(m.r(), base.r()),
                  m.perReq(m.nodesCpu() + m.brokerCpu())
                      / base.perReq(base.nodesCpu() + base.brokerCpu())));
        }
      }
    }
    return sb.toString();
  }
}
