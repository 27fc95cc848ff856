package dev.resolute.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.Http;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chaos suite: a real Resolute server ({@link ResoluteProcess}) and a real deployment on the
 * official Restate Java SDK 2.4.0 ({@code ChaosServices}, its own JVM) under a bounded concurrent
 * load ({@link Workload}: counter adds, delayed sends, journaled ctx.run steps, call + send + sleep
 * chains, workflows with promises, every request with an idempotency key), while the server is
 * killed with SIGKILL at seeded random moments, the deployment is killed, and the disk is filled
 * and freed ({@link ChaosPlan}). Afterwards every acknowledged request must be reflected exactly
 * once: counters equal the acknowledged adds, every journaled ctx.run ran exactly once after its
 * result was journaled, every workflow completed once with its promise's value, every key's lock is
 * free, every timer fired. The totals are printed as a table (and written to {@code
 * target/chaos-totals.md}).
 *
 * <p>{@code -Dchaos.minutes=N} runs the long form ({@code ./chaos --minutes N}); {@code
 * -Dchaos.seed=S} repeats a run's fault schedule and op mix.
 */
class ChaosIT {
  static final int WORKERS = 8;
  static final Pattern READY = Pattern.compile("CHAOS SERVICES READY port=(\\d+)");
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  ResoluteProcess server;
  ChildProcess services;
  Disk disk;
  Path work;
  int servicesPort;
  volatile int ingress;

  @AfterEach
  void tearDown() throws Exception {
    if (services != null) {
      services.kill9();
    }
    if (server != null) {
      server.discard();
    }
    if (disk != null) {
      disk.unmount();
    }
  }

  @Test
  void nothingAcknowledgedIsLostOrDoubledUnderKillsAndAFullDisk() throws Exception {
    String seedProp = System.getProperty("chaos.seed", "");
    long seed = seedProp.isBlank() ? new Random().nextLong() : Long.parseLong(seedProp.strip());
    double minutes = Double.parseDouble(System.getProperty("chaos.minutes", "0").strip());
    work = ServerProcess.newWorkDir("chaos");
    disk = Disk.tryMount(work.resolve("data"));
    ChaosPlan plan = ChaosPlan.of(seed, minutes, disk != null);
    System.out.printf(
        "chaos: seed %d (-Dchaos.seed=%d repeats it), %s of load, faults %s, work dir %s%n",
        seed, seed, plan.length(), plan.faults(), work);

    // started as a user starts it: ./resolute-server, with its JVM options and the class-data
    // archive the node writes once it has served (so restarts after a kill start as a user's do)
    server =
        ResoluteProcess.launcher(work)
            .env(
                Map.of(
                    // trimming happens during the run (every 10 s, whole 16 MiB segments)
                    "RESOLUTE_LOG_SEGMENT_BYTES", Long.toString(16L << 20)));
    server.start();
    ingress = server.ingressPort();
    Path effectsFile = work.resolve("side-effects.txt");
    startServices(effectsFile);
    server.registerDeployment("http://127.0.0.1:" + servicesPort, false);

    Totals totals = new Totals();
    totals.put("seed", seed);
    totals.put("load", plan.length().toSeconds() + " s, " + WORKERS + " concurrent clients");
    totals.put("server kills (SIGKILL)", plan.count(ChaosPlan.Kind.SERVER_KILL));
    totals.put("deployment kills (SIGKILL)", plan.count(ChaosPlan.Kind.DEPLOYMENT_KILL));
    Random rnd = new Random(seed);
    Workload load = new Workload(() -> ingress, seed, WORKERS);
    load.start();
    long t0 = System.nanoTime();
    int logStopped = 0;
    for (ChaosPlan.Fault f : plan.faults()) {
      sleepUntil(t0 + f.at().toNanos());
      switch (f.kind()) {
        case SERVER_KILL -> totals.healthyMillis.add(restartServer());
        case DEPLOYMENT_KILL -> {
          services.kill9();
          Thread.sleep(500 + rnd.nextInt(2500)); // the deployment stays down for a while
          startServices(effectsFile);
        }
        case DISK_FULL -> {
          long filled = disk.fill();
          boolean stopped = awaitUnhealthy(Duration.ofSeconds(10));
          System.out.printf(
              "chaos: disk full (%d MiB of ballast), log stopped: %s%n", filled >> 20, stopped);
          logStopped += stopped ? 1 : 0;
          disk.free();
          totals.healthyMillis.add(restartServer());
        }
        default -> throw new IllegalStateException(f.kind().toString());
      }
      System.out.printf(
          "chaos: %s at %d s done; %d ops so far%n",
          f.kind(), (System.nanoTime() - t0) / 1_000_000_000L, load.ops.size());
    }
    sleepUntil(t0 + plan.length().toNanos());
    load.stopNewOps();
    load.finish(Duration.ofMinutes(2));

    totals.put(
        "full disks (log stopped)",
        plan.count(ChaosPlan.Kind.DISK_FULL)
            + (disk == null ? " (not root: no tmpfs)" : " (" + logStopped + ")"));
    check(load, effectsFile, totals);
    String table = totals.table();
    System.out.println("chaos totals\n" + table);
    Files.writeString(Path.of("target", "chaos-totals.md"), table);

    assertThat(load.errors).as("unexpected answers").isEmpty();
    assertThat(totals.rows.get("unresolved (never acknowledged)")).isEqualTo("0");
    assertThat(totals.rows.get("lost")).as(table).isEqualTo("0");
    assertThat(totals.rows.get("duplicated")).as(table).isEqualTo("0");
    assertThat(totals.rows.get("locks held")).as(table).isEqualTo("0");
    assertThat(totals.rows.get("chains with a call or send applied twice (sys_invocation)"))
        .as(table)
        .isEqualTo("0");
    assertThat(plan.count(ChaosPlan.Kind.SERVER_KILL)).isGreaterThanOrEqualTo(5);
  }

  // ------------------------------------------------------------------ faults

  long restartServer() {
    long a = System.nanoTime();
    server.kill9();
    server.start();
    ingress = server.ingressPort();
    long ms = (System.nanoTime() - a) / 1_000_000;
    System.out.printf("chaos: server healthy %d ms after SIGKILL%n", ms);
    return ms;
  }

  void startServices(Path effectsFile) {
    services =
        ChildProcess.start(
            ChildProcess.javaCommand(
                ChildProcess.testClasspath(),
                List.of("-XX:+UseSerialGC"),
                "dev.resolute.chaos.services.ChaosServices",
                List.of(Integer.toString(servicesPort), effectsFile.toString())),
            Map.of(),
            work.resolve("services.log"));
    servicesPort = Integer.parseInt(services.awaitOutput(READY, Duration.ofSeconds(60)).group(1));
  }

  /** Whether the ingress health check turned 503 (the log stopped) within {@code timeout}. */
  boolean awaitUnhealthy(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      try {
        if (Http.status("http://127.0.0.1:" + ingress + "/restate/health") == 503) {
          return true;
        }
      } catch (Exception e) {
        // not answering: not the state we wait for either
      }
      Thread.sleep(50);
    }
    return false;
  }

  static void sleepUntil(long nanos) throws InterruptedException {
    long left = nanos - System.nanoTime();
    if (left > 0) {
      Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
    }
  }

  // ------------------------------------------------------------------ checks

  void check(Workload load, Path effectsFile, Totals totals) throws Exception {
    List<Op> ops = new ArrayList<>(load.ops);
    Map<Op.Kind, Integer> byKind = new TreeMap<>();
    Map<String, Long> expected = new TreeMap<>();
    Map<String, Long> maybe = new HashMap<>(); // unacknowledged ops that may have been taken
    long acked = 0;
    for (Op op : ops) {
      byKind.merge(op.kind, 1, Integer::sum);
      List<String> counters =
          switch (op.kind) {
            case ADD, DELAYED_ADD -> List.of(op.key);
            case CHAIN -> List.of("call-" + op.key, "send-" + op.key);
            default -> List.of();
          };
      for (String c : counters) {
        expected.merge(c, op.acked ? 1L : 0L, Long::sum);
        if (!op.acked) {
          maybe.merge(c, 1L, Long::sum);
        }
      }
      acked += op.acked ? 1 : 0;
    }
    long lost = 0;
    long duplicated = 0;
    List<String> problems = new ArrayList<>();

    // counters: wait for delayed sends and one-way sends to land, then compare
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      long want = e.getValue();
      long got = -1;
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < end) {
        got = Long.parseLong(call("/Tally/" + e.getKey() + "/get", "").body());
        if (got >= want) {
          break;
        }
        Thread.sleep(200);
      }
      if (got < want) {
        lost += want - got;
        problems.add(e.getKey() + ": " + got + " < " + want + " acknowledged");
      }
    }
    // excess counted once, after settling: a late duplicate (a timer or a send applied twice)
    // would show only now
    Thread.sleep(1000);
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      long got = Long.parseLong(call("/Tally/" + e.getKey() + "/get", "").body());
      long limit = e.getValue() + maybe.getOrDefault(e.getKey(), 0L);
      if (got > limit) {
        duplicated += got - limit;
        problems.add(e.getKey() + ": " + got + " > " + limit + " after settling");
      }
    }

    // every chain (acknowledged or not) created one child per counter: a call or send applied
    // twice shows here with the chain that did it, even when the chain was never acknowledged
    List<String> doubled = chainsWithTwoChildren();
    doubled.forEach(d -> problems.add("chain " + d));

    // no lock held: an exclusive call on every key answers
    List<CompletableFuture<HttpResponse<String>>> pings = new ArrayList<>();
    for (String key : expected.keySet()) {
      pings.add(callAsync("/Tally/" + key + "/ping", ""));
    }
    int locksHeld = 0;
    for (CompletableFuture<HttpResponse<String>> p : pings) {
      try {
        if (p.get().statusCode() != 200) {
          locksHeld++;
        }
      } catch (Exception e) {
        locksHeld++;
      }
    }

    // journaled ctx.run steps and workflows against the side-effect file
    Map<Op.Kind, Long> ranBefore = new TreeMap<>();
    long journaled = 0;
    List<String[]> steps = new ArrayList<>(); // {what, id, token}
    for (Op op : ops) {
      if (!op.acked) {
        continue;
      }
      switch (op.kind) {
        case STEP -> steps.add(new String[] {"step", op.id(), unquote(op.result)});
        case CHAIN -> steps.add(new String[] {"chain", op.id(), unquote(op.result)});
        case FLOW -> {
          String out = workflowOutput(op.key);
          String want = "in-" + op.seq + ":go-" + op.seq + ":";
          if (out == null || !out.startsWith(want)) {
            lost++;
            problems.add(op + ": workflow output " + out + ", expected " + want + "<token>");
          } else {
            steps.add(new String[] {"flow", op.key, out.substring(want.length())});
          }
        }
        default -> {}
      }
    }
    Effects effects = new Effects(Files.readAllLines(effectsFile));
    for (String[] s : steps) {
      journaled++;
      switch (effects.judge(s[0], s[1], s[2])) {
        case ONCE -> {}
        case MISSING -> {
          lost++;
          problems.add(s[0] + " " + s[1] + ": journaled token " + s[2] + " never executed");
        }
        case AGAIN -> {
          duplicated++;
          problems.add(
              s[0]
                  + " "
                  + s[1]
                  + ": ran again after "
                  + s[2]
                  + ": "
                  + effects.executions(s[0], s[1]));
        }
      }
      ranBefore.merge(
          Op.Kind.valueOf(s[0].equals("flow") ? "FLOW" : s[0].toUpperCase(java.util.Locale.ROOT)),
          (long) effects.before(s[0], s[1], s[2]),
          Long::sum);
    }
    problems.forEach(p -> System.out.println("chaos: PROBLEM " + p));

    totals.put("operations (by kind)", ops.size() + " " + byKind);
    totals.put("requests (with retries)", load.requests.get());
    totals.put("requests sent again (no answer, or 5xx)", load.retried.get());
    totals.put("acknowledged", acked);
    totals.put("unresolved (never acknowledged)", ops.size() - acked);
    totals.put("lost", lost);
    totals.put("duplicated", duplicated);
    totals.put("counters checked", expected.size());
    totals.put("chains with a call or send applied twice (sys_invocation)", doubled.size());
    totals.put("locks held", locksHeld);
    totals.put("journaled ctx.run steps checked", journaled);
    totals.put("ctx.run executions recorded", effects.lines());
    totals.put("executions whose result was never journaled (allowed)", ranBefore);
    totals.put("unexpected answers", load.errors.size());
  }

  /**
   * The chains that created more than one child invocation on one counter key ({@code <chain id> ->
   * <key> xN}), from the admin API's SQL: each {@code Chain/chain} calls {@code call-K} once and
   * sends to {@code send-K} once, and a child's id derives from the chain's id and the command's
   * index, so a second child means one command journaled twice.
   */
  List<String> chainsWithTwoChildren() throws Exception {
    String sql =
        "SELECT invoked_by_id, target_service_key, COUNT(1) AS n FROM sys_invocation"
            + " WHERE invoked_by_service_name = 'Chain'"
            + " GROUP BY invoked_by_id, target_service_key HAVING COUNT(1) > 1";
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + "/query"))
                .timeout(Duration.ofSeconds(60))
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("query", sql))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return List.of("(the query failed: " + r.statusCode() + " " + r.body() + ")");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode row : JSON.readTree(r.body()).path("rows")) {
      out.add(
          row.path("invoked_by_id").asText()
              + " -> "
              + row.path("target_service_key").asText()
              + " x"
              + row.path("n").asText());
    }
    return out;
  }

  /** The workflow's output once it completed (waits up to 60 s), else null. */
  String workflowOutput(String id) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < end) {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + ingress
                              + "/restate/workflow/Flow/"
                              + id
                              + "/output"))
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        return unquote(r.body());
      }
      Thread.sleep(200);
    }
    return null;
  }

  static String unquote(String json) {
    return json.startsWith("\"") && json.endsWith("\"")
        ? json.substring(1, json.length() - 1)
        : json;
  }

  HttpResponse<String> call(String path, String body) throws Exception {
    return callAsync(path, body).get();
  }

  CompletableFuture<HttpResponse<String>> callAsync(String path, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingress + path))
            .timeout(Duration.ofSeconds(30));
    b =
        body.isEmpty()
            ? b.POST(HttpRequest.BodyPublishers.noBody())
            : b.header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    return HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
