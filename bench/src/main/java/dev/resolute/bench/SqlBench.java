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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL introspection at scale (issue 12's benchmark), Resolute and restate-server in one run: each
 * server stores {@code --invocations} completed invocations ({@code Echo/echo} sent one-way by
 * {@code --fill-in-flight} concurrent clients), then
 *
 * <ul>
 *   <li>the point lookup {@code SELECT * FROM sys_invocation WHERE id = '…'} (JSON, as the CLI's
 *       {@code invocations describe} asks), {@code --lookups} times over ids sampled during the
 *       fill: p50/p99 (goal: under 5 ms);
 *   <li>{@code SELECT status, count(*) FROM sys_invocation GROUP BY status}, {@code --group-runs}
 *       times after one warm-up: the median (goal: under 2 s);
 *   <li>the {@code echo-64} throughput alone and with a concurrent SQL client (point lookups back
 *       to back and the GROUP BY every {@code --group-every} seconds), in the order alone, with,
 *       with, alone: the cut of the means (goal: at most 10 %).
 * </ul>
 *
 * {@code ./bench/sql} builds everything and calls this; see bench/README.md.
 */
public final class SqlBench {
  private static final String HOST = Targets.HOST;
  private static final String POINT = "SELECT * FROM sys_invocation WHERE id = '%s'";
  private static final String GROUP = "SELECT status, count(*) FROM sys_invocation GROUP BY status";
  private static final Pattern ID = Pattern.compile("\"invocationId\"\\s*:\\s*\"(inv_[^\"]+)\"");

  private SqlBench() {}

  /** What one server measured. */
  private record Row(
      String target,
      long sent,
      long stored,
      double fillSeconds,
      double[] lookupMillis,
      double groupMillis,
      String groupAnswer,
      double echoAlone,
      double echoWithSql,
      long sqlQueries) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = parse(args);
    boolean quick = opt.containsKey("quick");
    long n = Long.parseLong(opt.getOrDefault("invocations", "1000000"));
    long restateN = Long.parseLong(opt.getOrDefault("restate-invocations", Long.toString(n)));
    int fillInFlight = Integer.parseInt(opt.getOrDefault("fill-in-flight", "64"));
    int lookups = Integer.parseInt(opt.getOrDefault("lookups", "200"));
    int groupRuns = Integer.parseInt(opt.getOrDefault("group-runs", "3"));
    double groupEvery = Double.parseDouble(opt.getOrDefault("group-every", "10"));
    // the SQL client's pace: point lookups per second (0: back to back)
    double sqlRate = Double.parseDouble(opt.getOrDefault("sql-rate", "50"));
    Duration warmup = seconds(opt.getOrDefault("warmup", quick ? "2" : "5"));
    Duration measure = seconds(opt.getOrDefault("duration", quick ? "5" : "20"));
    Duration settleTimeout = seconds(opt.getOrDefault("settle-timeout", "3600"));
    Path root = Path.of(opt.getOrDefault("root", ".")).toAbsolutePath().normalize();
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now());
    Path work =
        Path.of(opt.getOrDefault("work-dir", root.resolve("bench/target/sql-" + stamp).toString()));
    Files.createDirectories(work);
    Target.Children.pidFile = opt.containsKey("pid-file") ? Path.of(opt.get("pid-file")) : null;
    int off = Integer.parseInt(opt.getOrDefault("port-offset", "0"));
    List<String> names = Arrays.asList(opt.getOrDefault("targets", "resolute,restate").split(","));

    Map<String, Target> targets = targets(opt, root, work, names, off);
    Targets.requireFreePorts(targets.values());
    List<Row> rows = new ArrayList<>();
    try {
      for (Target t : targets.values()) {
        t.startServices();
        t.start();
        t.register();
        System.out.printf("%s: healthy, deployment registered%n", t.name);
      }
      for (Target t : targets.values()) {
        long count = t.name.equals("restate") ? restateN : n;
        rows.add(
            measure(
                t,
                count,
                fillInFlight,
                lookups,
                groupRuns,
                groupEvery,
                sqlRate,
                warmup,
                measure,
                settleTimeout));
      }
    } finally {
      for (Target t : targets.values()) {
        t.stopAll();
      }
    }
    String report = report(rows, n, restateN, warmup, measure, groupEvery, sqlRate);
    System.out.println();
    System.out.print(report);
    Path out = work.resolve("report.md");
    Files.writeString(out, report, StandardCharsets.UTF_8);
    System.out.println("report: " + out);
  }

  private static Row measure(
      Target t,
      long n,
      int fillInFlight,
      int lookups,
      int groupRuns,
      double groupEvery,
      double sqlRate,
      Duration warmup,
      Duration measure,
      Duration settleTimeout)
      throws Exception {
    // ---- fill
    List<String> sample = new ArrayList<>();
    long t0 = System.nanoTime();
    long sent = fill(t, n, fillInFlight, sample);
    double fillSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "%s: %d sends acknowledged in %.1f s (%.0f/s); waiting until every one completed...%n",
        t.name,
        sent,
        fillSeconds,
        sent / fillSeconds);
    long deadline = System.nanoTime() + settleTimeout.toNanos();
    try (HttpConn sql = sqlConn(t)) {
      while (true) {
        long open =
            count(sql, "SELECT count(*) AS c FROM sys_invocation WHERE status != 'completed'");
        if (open == 0) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              t.name + ": " + open + " invocations still not completed");
        }
        Thread.sleep(5000);
      }
      long stored = count(sql, "SELECT count(*) AS c FROM sys_invocation");
      System.out.printf("%s: %d invocations stored%n", t.name, stored);
      if (stored < sent) {
        System.out.printf(
            "%s: WARNING fewer stored than sent (a retention shorter than the run?)%n", t.name);
      }

      // ---- point lookups
      if (sample.isEmpty()) {
        throw new IllegalStateException(t.name + ": no invocation id sampled");
      }
      for (int i = 0; i < 20; i++) {
        point(sql, sample.get(i % sample.size()));
      }
      long[] lat = new long[lookups];
      for (int i = 0; i < lookups; i++) {
        long s = System.nanoTime();
        point(sql, sample.get(i % sample.size()));
        lat[i] = System.nanoTime() - s;
      }
      Arrays.sort(lat);
      double[] lookupMillis = {pct(lat, 50), pct(lat, 90), pct(lat, 99), lat[lat.length - 1] / 1e6};
      System.out.printf(
          Locale.ROOT,
          "%s: point lookup p50 %.2f p90 %.2f p99 %.2f max %.2f ms%n",
          t.name,
          lookupMillis[0],
          lookupMillis[1],
          lookupMillis[2],
          lookupMillis[3]);

      // ---- GROUP BY status
      String answer = query(sql, GROUP);
      long[] group = new long[groupRuns];
      for (int i = 0; i < groupRuns; i++) {
        long s = System.nanoTime();
        answer = query(sql, GROUP);
        group[i] = System.nanoTime() - s;
      }
      Arrays.sort(group);
      double groupMillis = group[group.length / 2] / 1e6;
      System.out.printf(
          Locale.ROOT, "%s: GROUP BY status median %.0f ms: %s%n", t.name, groupMillis, answer);

      // ---- echo-64 alone and with a concurrent SQL client, alone/with/with/alone
      double[] alone = new double[2];
      double[] with = new double[2];
      long queries = 0;
      for (int round = 0; round < 4; round++) {
        boolean sqlLoad = round == 1 || round == 2;
        SqlLoad load = sqlLoad ? SqlLoad.start(t, sample, groupEvery, sqlRate) : null;
        LoadGen.Result r;
        try {
          Scenario echo =
              Scenario.all().stream()
                  .filter(s -> s.name.equals("echo-64"))
                  .findFirst()
                  .orElseThrow();
          r =
              LoadGen.run(
                  HOST, t.ingressPort, echo.inFlight, warmup, measure, echo.source("q" + round));
        } finally {
          if (load != null) {
            queries += load.stop();
          }
        }
        int slot = round == 0 || round == 1 ? 0 : 1;
        (sqlLoad ? with : alone)[slot] = r.throughput();
        System.out.printf(
            Locale.ROOT,
            "%s: echo-64 %s %.0f req/s (%d errors)%n",
            t.name,
            sqlLoad ? "with SQL" : "alone   ",
            r.throughput(),
            r.errors());
      }
      return new Row(
          t.name,
          sent,
          stored,
          fillSeconds,
          lookupMillis,
          groupMillis,
          answer,
          (alone[0] + alone[1]) / 2,
          (with[0] + with[1]) / 2,
          queries);
    }
  }

  /** One-way sends of {@code Echo/echo} until {@code n} are acknowledged; samples their ids. */
  private static long fill(Target t, long n, int inFlight, List<String> sample)
      throws InterruptedException {
    AtomicLong next = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long every = Math.max(1, n / 2000);
    byte[] body = "\"x\"".getBytes(StandardCharsets.UTF_8);
    List<Thread> workers = new ArrayList<>();
    long progressStep = Math.max(1, n / 10);
    for (int w = 0; w < inFlight; w++) {
      Thread th =
          new Thread(
              () -> {
                try (HttpConn c = new HttpConn(HOST, t.ingressPort, 60_000)) {
                  long i;
                  while ((i = next.getAndIncrement()) < n) {
                    HttpConn.Response r;
                    try {
                      r = c.send("POST", "/Echo/echo/send", body);
                    } catch (IOException e) {
                      // not acknowledged (it may or may not exist): the stored count tells
                      errors.incrementAndGet();
                      continue;
                    }
                    if (r.status() != 202 && r.status() != 200) {
                      errors.incrementAndGet();
                      if (errors.get() > 1000) {
                        throw new IllegalStateException(
                            t.name + ": sends failing: " + r.status() + " " + r.text());
                      }
                      continue;
                    }
                    long a = acked.incrementAndGet();
                    if (a % progressStep == 0) {
                      System.out.printf("%s: %d sent%n", t.name, a);
                    }
                    if (i % every == 0) {
                      Matcher m = ID.matcher(r.text());
                      if (m.find()) {
                        synchronized (sample) {
                          sample.add(m.group(1));
                        }
                      }
                    }
                  }
                }
              },
              "fill-" + w);
      th.start();
      workers.add(th);
    }
    for (Thread th : workers) {
      th.join();
    }
    if (errors.get() > 0) {
      System.out.printf("%s: %d sends failed and were not counted%n", t.name, errors.get());
    }
    return acked.get();
  }

  /**
   * A concurrent SQL client: point lookups at {@code rate} a second (a dashboard's or an operator's
   * pace, the same for both servers; 0: back to back, as fast as the server answers), the GROUP BY
   * every few seconds.
   */
  private static final class SqlLoad {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong queries = new AtomicLong();
    private Thread thread;

    static SqlLoad start(Target t, List<String> sample, double groupEvery, double rate) {
      SqlLoad l = new SqlLoad();
      l.thread =
          new Thread(
              () -> {
                long nextGroup = System.nanoTime() + (long) (groupEvery * 1e9);
                try (HttpConn c = sqlConn(t)) {
                  int i = 0;
                  long start = System.nanoTime();
                  while (!l.stop.get()) {
                    if (rate > 0) {
                      long due = start + (long) (l.queries.get() * 1e9 / rate);
                      long wait = due - System.nanoTime();
                      if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                      }
                    }
                    if (System.nanoTime() >= nextGroup) {
                      query(c, GROUP);
                      nextGroup = System.nanoTime() + (long) (groupEvery * 1e9);
                    } else {
                      point(c, sample.get(i++ % sample.size()));
                    }
                    l.queries.incrementAndGet();
                  }
                } catch (IOException e) {
                  System.out.println(t.name + ": SQL load stopped: " + e);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "sql-load");
      l.thread.start();
      return l;
    }

    long stop() throws InterruptedException {
      stop.set(true);
      thread.join();
      return queries.get();
    }
  }

  private static HttpConn sqlConn(Target t) {
    return new HttpConn(HOST, t.adminPort, 600_000).header("accept", "application/json");
  }

  private static void point(HttpConn c, String id) throws IOException {
    String body = query(c, String.format(Locale.ROOT, POINT, id));
    if (!body.contains(id)) {
      throw new IllegalStateException("point lookup of " + id + " did not find it: " + body);
    }
  }

  private static String query(HttpConn c, String sql) throws IOException {
    String json = "{\"query\":\"" + sql.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    HttpConn.Response r = c.send("POST", "/query", json.getBytes(StandardCharsets.UTF_8));
    if (r.status() != 200) {
      throw new IOException(sql + " -> " + r.status() + " " + r.text());
    }
    return r.text();
  }

  private static long count(HttpConn c, String sql) throws IOException {
    String body = query(c, sql);
    Matcher m = Pattern.compile("\"c\"\\s*:\\s*(\\d+)").matcher(body);
    if (!m.find()) {
      throw new IOException("no count in " + body);
    }
    return Long.parseLong(m.group(1));
  }

  private static double pct(long[] sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  private static String report(
      List<Row> rows,
      long n,
      long restateN,
      Duration warmup,
      Duration measure,
      double groupEvery,
      double sqlRate) {
    StringBuilder b = new StringBuilder();
    b.append("# SQL at scale (bench/sql)\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "Invocations requested: Resolute %d, restate-server %d (completed `Echo/echo`"
                    + " sends). echo-64: %d s warm-up + %d s measured per round, rounds alone,"
                    + " with SQL, with SQL, alone; the SQL client runs point lookups %s and"
                    + " the GROUP BY every %.0f s.%n%n",
                n,
                restateN,
                warmup.toSeconds(),
                measure.toSeconds(),
                sqlRate > 0
                    ? String.format(Locale.ROOT, "at %.0f a second", sqlRate)
                    : "back to back",
                groupEvery))
        .append(
            "| server | stored | fill (sends/s) | point lookup p50 / p99 ms (goal p50 < 5) |"
                + " GROUP BY status ms (goal < 2000) | echo-64 alone req/s | with SQL req/s |"
                + " cut (goal ≤ 10 %) | SQL queries during load |\n")
        .append("|---|---|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      double cut = r.echoAlone() == 0 ? Double.NaN : 100 * (1 - r.echoWithSql() / r.echoAlone());
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.0f | %.2f / %.2f | %.0f | %.0f | %.0f | %.1f %% | %d |%n",
              r.target(),
              r.stored(),
              r.sent() / r.fillSeconds(),
              r.lookupMillis()[0],
              r.lookupMillis()[2],
              r.groupMillis(),
              r.echoAlone(),
              r.echoWithSql(),
              cut,
              r.sqlQueries()));
    }
    b.append("\nGROUP BY answers:\n\n");
    for (Row r : rows) {
      b.append("- ").append(r.target()).append(": `").append(r.groupAnswer()).append("`\n");
    }
    return b.toString();
  }

  private static Map<String, Target> targets(
      Map<String, String> opt, Path root, Path work, List<String> names, int off) {
    return Targets.of(
        opt,
        root,
        work,
        names,
        Targets.deploymentJvm("dev.resolute.bench.services.BenchServices"),
        new Targets.Ports(26080, 26070, 26123, 26090).plus(off),
        new Targets.Ports(27080, 27070, 26122, 26091).plus(off));
  }

  private static Duration seconds(String s) {
    return Duration.ofMillis((long) (1000 * Double.parseDouble(s)));
  }

  private static final java.util.Set<String> OPTIONS =
      java.util.Set.of(
          "quick",
          "invocations",
          "restate-invocations",
          "fill-in-flight",
          "lookups",
          "group-runs",
          "group-every",
          "sql-rate",
          "warmup",
          "duration",
          "settle-timeout",
          "targets",
          "port-offset",
          "resolute-java-opts",
          "restate-bin",
          "root",
          "work-dir",
          "pid-file");

  private static Map<String, String> parse(String[] args) {
    return Targets.parse(args, OPTIONS, java.util.Set.of("quick"));
  }
}
