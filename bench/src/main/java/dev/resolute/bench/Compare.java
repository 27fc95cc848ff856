package dev.resolute.bench;

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

/**
 * Runs every scenario against Resolute and restate-server alternately (ABBA order) in one run and
 * prints one row per (scenario, server) plus the ratio Resolute / restate-server. See the bench
 * README for the options; {@code ./bench/compare} builds everything and calls this.
 */
public final class Compare {
  private static final String HOST = Targets.HOST;

  private record Measured(
      Scenario scenario,
      String target,
      LoadGen.Result r,
      long serverCpu,
      long servicesCpu,
      long genCpu,
      double machineBusyCores,
      String note) {
    double perReq(long cpuMillis) {
      return r.ok() == 0 ? Double.NaN : cpuMillis / (double) r.ok();
    }
  }

  /**
   * The pre-warm's scenarios, in turn. echo-1 and sleep-1 are there because at one request in
   * flight Resolute takes other paths than under load (an event loop or the timers thread writes
   * and applies a batch itself, see {@code LocalLog.leadOn}), which the 64-in-flight scenarios
   * never compile: without them C2 was still compiling those paths inside sleep-1's measured
   * window.
   */
  static final List<String> PREWARM_MIX =
      List.of(
          "echo-64",
          "steps-64",
          "counter-1000",
          "call-64",
          "sleep-64",
          "workflow-64",
          "echo-1",
          "sleep-1");

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = parse(args);
    boolean quick = opt.containsKey("quick");
    Duration warmup =
        Duration.ofMillis(
            (long) (1000 * Double.parseDouble(opt.getOrDefault("warmup", quick ? "1" : "5"))));
    Duration measure =
        Duration.ofMillis(
            (long) (1000 * Double.parseDouble(opt.getOrDefault("duration", quick ? "3" : "20"))));
    String prewarmSeconds = opt.getOrDefault("prewarm", quick ? "4" : "40");
    double prewarm = Double.parseDouble(prewarmSeconds);
    Path root = Path.of(opt.getOrDefault("root", ".")).toAbsolutePath().normalize();
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now());
    Path work =
        Path.of(opt.getOrDefault("work-dir", root.resolve("bench/target/run-" + stamp).toString()));
    Files.createDirectories(work);
    Target.Children.pidFile = opt.containsKey("pid-file") ? Path.of(opt.get("pid-file")) : null;
    List<String> only = opt.containsKey("only") ? Arrays.asList(opt.get("only").split(",")) : null;
    List<String> targetNames =
        Arrays.asList(opt.getOrDefault("targets", "resolute,restate").split(","));

    String sdk = opt.getOrDefault("sdk", "restate");
    String servicesMain =
        switch (sdk) {
          case "restate" -> "dev.resolute.bench.services.BenchServices";
          case "resolute" -> "dev.resolute.bench.rsdk.BenchServices";
          default ->
              throw new IllegalArgumentException("unknown --sdk " + sdk + " (restate, resolute)");
        };
    List<String> servicesJvm = Targets.deploymentJvm(servicesMain);

    // --port-offset N shifts every port, so two runs (two engineers) can share a machine
    int off = Integer.parseInt(opt.getOrDefault("port-offset", "0"));
    Map<String, Target> targets =
        Targets.of(
            opt,
            root,
            work,
            targetNames,
            servicesJvm,
            new Targets.Ports(25080, 25070, 25123, 25090).plus(off),
            new Targets.Ports(28080, 29070, 25122, 25091).plus(off));
    Targets.requireFreePorts(targets.values());

    StringBuilder report = new StringBuilder();
    report
        .append(header(quick, warmup, measure))
        .append(
            String.format(
                Locale.ROOT,
                "Deployment (both servers): the bench services on the %s (`--sdk %s`).%n%n",
                sdk.equals("restate") ? "official Restate Java SDK 2.4.0" : "Resolute Java SDK",
                sdk))
        .append(
            String.format(
                Locale.ROOT,
                "Before the first scenario each server gets %s s of mixed load ("
                    + String.join(", ", PREWARM_MIX)
                    + ") "
                    + "to warm its JIT and caches.%n%n",
                prewarmSeconds));
    System.out.print(report);

    // ---- start-up, registration, idle memory
    Map<String, long[]> life =
        new LinkedHashMap<>(); // startup ms, idle rss, disk after registration
    for (Target t : targets.values()) {
      t.startServices();
      long startup = t.start();
      t.register();
      Thread.sleep(2000);
      life.put(
          t.name,
          new long[] {
            startup, ProcStats.rssKib(t.pid()), ProcStats.diskBytes(t.baseDir), 0, 0, 0, 0
          });
      System.out.printf(
          "%s: healthy %d ms after spawn, RSS idle %d MiB%n",
          t.name, startup, ProcStats.rssKib(t.pid()) / 1024);
    }

    // ---- pre-warm: a mixed load on each server before anything is measured (JIT, caches). It
    // touches every kind of work the scenarios do (calls, timers, workflows too), so that no
    // scenario pays for compiling its own path inside its measured window.
    if (prewarm > 0) {
      List<Scenario> mix =
          Scenario.all().stream().filter(s -> PREWARM_MIX.contains(s.name)).toList();
      for (Target t : targets.values()) {
        for (Scenario s : mix) {
          LoadGen.Result r =
              LoadGen.run(
                  HOST,
                  t.ingressPort,
                  s.inFlight,
                  Duration.ZERO,
                  Duration.ofMillis((long) (prewarm * 1000 / mix.size())),
                  s.source("p" + t.name.charAt(0)));
          t.invocations += r.ok();
        }
        System.out.printf("%s: pre-warmed for %.0f s%n", t.name, prewarm);
      }
    }

    // ---- scenarios, alternating order
    List<Measured> rows = new ArrayList<>();
    List<Scenario> scenarios =
        Scenario.all().stream().filter(s -> only == null || only.contains(s.name)).toList();
    int i = 0;
    for (Scenario s : scenarios) {
      List<Target> order = new ArrayList<>(targets.values());
      if (i++ % 2 == 1) {
        java.util.Collections.reverse(order);
      }
      for (Target t : order) {
        Measured m = runOne(s, t, warmup, measure);
        rows.add(m);
        System.out.println(row(m));
      }
    }

    // ---- Kafka: records/s from a topic to completed object invocations (see KafkaPhase)
    String kafkaReport = "";
    if (!opt.containsKey("no-kafka") && (only == null || only.contains("kafka"))) {
      long n = Long.parseLong(opt.getOrDefault("kafka-records", quick ? "5000" : "100000"));
      try {
        long warm = Long.parseLong(opt.getOrDefault("kafka-warmup-records", String.valueOf(n / 2)));
        kafkaReport = KafkaPhase.table(KafkaPhase.run(targets, work, n, warm), targets.keySet());
      } catch (RuntimeException e) {
        kafkaReport = "\n### Kafka\n\nnot measured: " + e.getMessage() + "\n";
        System.out.println("kafka phase failed: " + e);
      }
    }

    // ---- memory and disk after load, restart on the full data directory
    for (Target t : targets.values()) {
      long[] l = life.get(t.name);
      l[3] = ProcStats.rssKib(t.pid());
      long invocations = Math.max(1, t.invocations);
      l[4] = (ProcStats.diskBytes(t.baseDir) - l[2]) / invocations;
      if (!opt.containsKey("skip-restart")) {
        t.stopServer();
        try {
          l[5] = t.start();
          l[6] = t.awaitEcho(60_000);
        } catch (RuntimeException e) {
          l[5] = -1;
          l[6] = -1;
          System.out.println(t.name + ": restart failed: " + e.getMessage());
        }
      }
      System.out.printf(
          "%s: RSS after load %d MiB, %d disk bytes/invocation, restart healthy %d ms (+%d ms to "
              + "first echo)%n",
          t.name, l[3] / 1024, l[4], l[5], l[6]);
    }
    for (Target t : targets.values()) {
      t.stopAll();
    }

    report
        .append(table(rows, targets.keySet()))
        .append('\n')
        .append(lifeTable(life))
        .append('\n')
        .append(kafkaReport);
    String out = report.toString();
    System.out.println();
    System.out.println(out);
    Path file = opt.containsKey("out") ? Path.of(opt.get("out")) : work.resolve("report.md");
    Files.writeString(file, out, StandardCharsets.UTF_8);
    System.out.println("report written to " + file + "; server logs in " + work);
  }

  private static Measured runOne(Scenario s, Target t, Duration warmup, Duration measure)
      throws Exception {
    String run = t.name.charAt(0) + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    long[] cpu0 = new long[3];
    long[] cpu1 = new long[3];
    long[] m0 = new long[2];
    long[] m1 = new long[2];
    long self = ProcessHandle.current().pid();
    ScheduledExecutorService ses = Executors.newSingleThreadScheduledExecutor();
    ses.schedule(() -> snap(t, self, cpu0, m0), warmup.toMillis(), TimeUnit.MILLISECONDS);
    ses.schedule(
        () -> snap(t, self, cpu1, m1),
        warmup.toMillis() + measure.toMillis(),
        TimeUnit.MILLISECONDS);
    LoadGen.Source source = s.source(run);
    long[] total = {0};
    LoadGen.Source counting =
        new LoadGen.Source() {
          @Override
          public LoadGen.Request next(int worker, long seq) {
            return source.next(worker, seq);
          }

          @Override
          public void onSuccess(LoadGen.Request r, HttpConn.Response response) {
            synchronized (total) {
              total[0]++;
            }
            source.onSuccess(r, response);
          }
        };
    LoadGen.Result r = LoadGen.run(HOST, t.ingressPort, s.inFlight, warmup, measure, counting);
    ses.shutdown();
    ses.awaitTermination(30, TimeUnit.SECONDS);
    t.invocations += total[0];
    String note = s.after(HOST, t.ingressPort);
    if (r.firstError() != null) {
      note = (note.isEmpty() ? "" : note + "; ") + "first error: " + abbreviate(r.firstError());
    }
    double busyCores =
        (m1[0] - m0[0])
            / (double) Math.max(1, m1[1] - m0[1])
            * Runtime.getRuntime().availableProcessors();
    return new Measured(
        s, t.name, r, cpu1[0] - cpu0[0], cpu1[1] - cpu0[1], cpu1[2] - cpu0[2], busyCores, note);
  }

  private static void snap(Target t, long self, long[] cpu, long[] machine) {
    cpu[0] = ProcStats.cpuMillis(t.pid());
    cpu[1] = ProcStats.cpuMillis(t.servicesPid());
    cpu[2] = ProcStats.cpuMillis(self);
    long[] j = ProcStats.machineJiffies();
    machine[0] = j[0];
    machine[1] = j[1];
  }

  private static String header(boolean quick, Duration warmup, Duration measure)
      throws IOException {
    String cpu = "?";
    for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
      if (l.startsWith("model name")) {
        cpu = l.substring(l.indexOf(':') + 1).trim();
        break;
      }
    }
    long memKib = 0;
    for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (l.startsWith("MemTotal:")) {
        memKib = Long.parseLong(l.substring(9).trim().split("\\s+")[0]);
      }
    }
    return String.format(
        Locale.ROOT,
        "## Run %s%s%n%nMachine: %d cores (%s), %d GiB RAM, %s %s; Java %s. "
            + "Load average before the run: %s.%nEach scenario: %d s warm-up, %d s measured, closed loop, HTTP/1.1 "
            + "keep-alive, one connection per request in flight. Order alternates per scenario.%n%n",
        ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
        quick ? " (--quick: smoke test, " + "numbers not meaningful)" : "",
        Runtime.getRuntime().availableProcessors(),
        cpu,
        memKib / 1024 / 1024,
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("java.version"),
        ProcStats.loadAverage(),
        warmup.toSeconds(),
        measure.toSeconds());
  }

  private static String row(Measured m) {
    return Targets.resultRow(
        m.scenario().name,
        m.target(),
        m.r(),
        m.perReq(m.serverCpu()),
        m.perReq(m.servicesCpu()),
        m.perReq(m.genCpu()),
        m.machineBusyCores(),
        m.note());
  }

  private static String table(List<Measured> rows, java.util.Set<String> targets) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| scenario | server | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | server CPU ms/req "
            + "| service CPU ms/req | loadgen CPU ms/req | machine busy cores | notes |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Measured m : rows) {
      sb.append(row(m)).append('\n');
    }
    if (targets.contains("resolute") && targets.contains("restate")) {
      sb.append(
          "\nRatios Resolute / restate-server (throughput: higher is better; latency and CPU: lower is "
              + "better):\n\n| scenario | throughput | p50 | p99 | server CPU/req |\n|---|---:|---:|---:|---:|\n");
      Map<String, Measured[]> by = new LinkedHashMap<>();
      for (Measured m : rows) {
        by.computeIfAbsent(m.scenario().name, k -> new Measured[2])[
                m.target().equals("resolute") ? 0 : 1] =
            m;
      }
      for (Map.Entry<String, Measured[]> e : by.entrySet()) {
        Measured a = e.getValue()[0];
        Measured b = e.getValue()[1];
        if (a == null || b == null) {
          continue;
        }
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %.2f |%n",
                e.getKey(),
                Targets.ratios(a.r(), b.r()),
                a.perReq(a.serverCpu()) / b.perReq(b.serverCpu())));
      }
    }
    return sb.toString();
  }

  private static String lifeTable(Map<String, long[]> life) {
    StringBuilder sb =
        new StringBuilder(
            "| server | start-up to healthy ms | RSS idle MiB | RSS after load MiB "
                + "| disk bytes / invocation | restart to healthy ms | then first echo ms |\n|---|---:|---:|---:|---:|---:|---:|\n");
    life.forEach(
        (k, l) ->
            sb.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %d | %d | %d | %d |%n",
                    k,
                    l[0],
                    l[1] / 1024,
                    l[3] / 1024,
                    l[4],
                    l[5],
                    l[6])));
    return sb.toString();
  }

  private static String abbreviate(String s) {
    s = s.replace('\n', ' ').replace('|', '/');
    return s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }

  /** The options {@link #main} reads; any other is refused, so a misspelt one is never ignored. */
  private static final java.util.Set<String> OPTIONS =
      java.util.Set.of(
          "quick",
          "skip-restart",
          "no-kafka",
          "only",
          "out",
          "pid-file",
          "resolute-java-opts",
          "duration",
          "kafka-records",
          "kafka-warmup-records",
          "port-offset",
          "prewarm",
          "root",
          "sdk",
          "targets",
          "warmup",
          "work-dir");

  private static Map<String, String> parse(String[] args) {
    return Targets.parse(args, OPTIONS, java.util.Set.of("quick", "skip-restart", "no-kafka"));
  }
}
