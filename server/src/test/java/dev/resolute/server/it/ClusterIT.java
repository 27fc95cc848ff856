package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.KafkaCluster;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.Wait;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Cluster mode with real processes: three KRaft brokers (replication 3, min.insync.replicas 2),
 * three Resolute nodes on one log topic, one deployment. Object adds through every node give exact
 * results; SIGKILL of the node leading the most partitions under load: its partitions serve again
 * on the others within 5 s, and every acknowledged add is reflected exactly once (each add is
 * retried with its idempotency key on another node until acknowledged). Then the killed node
 * restarts on its data and rejoins, and the leader of the most partitions is paused (SIGSTOP,
 * {@code -Dcluster.pause.seconds}, default 30) and resumed: its partitions serve again on the
 * others within 5 s, it steps down when it applies their announcements, and still every
 * acknowledged add counts exactly once. Last, SIGKILL of the Kafka broker leading the most log
 * partitions under load: no request takes 10 s or more, and every acknowledged add still counts
 * exactly once.
 *
 * <p>Beside the adds, the load runs {@link ClusterFlow} workflows (run sent, promise resolved,
 * result attached) and {@link ClusterSteps} calls, whose {@code ctx.run} steps record each
 * execution: every acknowledged workflow answers its one result through every live node, and no
 * step whose result was journaled runs again ({@link StepRuns}); a step runs again only when its
 * first execution's result never was journaled, in the disturbance's window, and not at all when a
 * broker is killed.
 */
@Timeout(400)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  static final int NODES = 3;
  static final int PARTITIONS = 6;
  static final ObjectMapper JSON = new ObjectMapper();

  static final int APPEND_TIMEOUT_SECONDS = 12;
  static KafkaCluster broker;
  static ChildProcess services;
  static int servicesPort;
  static final List<ResoluteProcess> nodes = new ArrayList<>();
  static final boolean[] dead = new boolean[NODES];
  static Path markers;

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaCluster.create("cluster", 3).start();
    markers = Files.createTempDirectory("cluster-markers");
    ClusterHarness.Services s = ClusterHarness.startServices(markers);
    services = s.process();
    servicesPort = s.port();
    for (int i = 1; i <= NODES; i++) {
      nodes.add(
          ClusterHarness.node(
              "cluster-n" + i,
              "n" + i,
              i,
              PARTITIONS,
              broker.bootstrapServers(),
              List.of(
                  "topic = \"cluster-it-log\"",
                  "replication-factor = 3",
                  "min-insync-replicas = 2",
                  "session-timeout = \"1500ms\"",
                  // a Kafka outage longer than this fails appends (test 4); a broker kill must not
                  "append-timeout = \"" + APPEND_TIMEOUT_SECONDS + "s\""),
              List.of()));
    }
    // The schema registry is replicated metadata (the cluster's metadata topic): node 1 registers
    // the deployment, the others learn it from the topic, with the same deployment id
    ClusterHarness.registerThroughFirstAndStartTheOthers(nodes, servicesPort, "Counter");
    ClusterHarness.awaitEveryPartitionLed(nodes.get(0).adminPort(), NODES);
  }

  /** {@code GET /cluster-health} in restate-server's shape, with the live nodes' ids. */
  static List<Integer> healthMembers(int node) throws Exception {
    HttpResponse<String> r = send(nodes.get(node).adminPort(), "GET", "/cluster-health", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode v = JSON.readTree(r.body());
    assertThat(v.get("cluster_name").asText()).isEqualTo("localcluster");
    List<Integer> out = new ArrayList<>();
    v.get("metadata_cluster_health").get("members").forEach(m -> out.add(m.asInt()));
    return out;
  }

  @AfterAll
  static void stop() throws Exception {
    ClusterHarness.stopAll(nodes, services, broker);
  }

  static JsonNode cluster(int node) throws Exception {
    HttpResponse<String> r = send(nodes.get(node).adminPort(), "GET", "/cluster", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static HttpResponse<String> send(int port, String method, String path, String body)
      throws IOException, InterruptedException {
    return ClusterHarness.send(port, method, path, body);
  }

  static HttpResponse<String> send(
      int port, String method, String path, String body, Duration timeout, String... headers)
      throws IOException, InterruptedException {
    return ClusterHarness.send(port, method, path, body, timeout, headers);
  }

  /** One add, retried with its idempotency key on the next live node until acknowledged. */
  static long addUntilAcknowledged(String key, String idempotencyKey, int firstNode)
      throws InterruptedException {
    return untilOk("POST", "/Counter/" + key + "/add", "1", idempotencyKey, firstNode) == null
        ? -1
        : System.nanoTime();
  }

  /**
   * A request retried on the next live node until it answers 200 (or 202, a send's answer); its
   * body, or null after 60 s. With an idempotency key a retry never runs the request twice.
   */
  static String untilOk(
      String method, String path, String body, String idempotencyKey, int firstNode)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int node = firstNode;
    while (System.nanoTime() < deadline) {
      node = node % NODES;
      if (dead[node]) {
        node++;
        continue;
      }
      try {
        HttpResponse<String> r =
            idempotencyKey == null
                ? send(nodes.get(node).ingressPort(), method, path, body, Duration.ofSeconds(20))
                : send(
                    nodes.get(node).ingressPort(),
                    method,
                    path,
                    body,
                    Duration.ofSeconds(20),
                    "idempotency-key",
                    idempotencyKey);
        if (r.statusCode() == 200 || r.statusCode() == 202) {
          return r.body();
        }
      } catch (IOException e) {
        // the node died under the request: the same request goes to the next node
      }
      node++;
      Thread.sleep(50);
    }
    return null;
  }

  /**
   * A load through the live nodes from 10 client threads, each request retried (with its
   * idempotency key where restate takes one) until acknowledged: eight clients add on {@code keys}
   * counter keys; one runs {@link ClusterFlow} workflows (run sent, promise resolved through its
   * shared handler, result attached); one calls {@link ClusterSteps#steps}. Remembers, per counter
   * key, the first acknowledgement of an add started after {@link #mark}, and the answer of every
   * acknowledged workflow and steps call.
   */
  static final class Load {
    static final int ADDERS = 8;
    final String prefix;
    final int keys;
    final Map<String, AtomicInteger> acked = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> firstAckAfterMark = new ConcurrentHashMap<>();
    final AtomicInteger attempted = new AtomicInteger();
    final AtomicInteger lost = new AtomicInteger();
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong markedAt = new AtomicLong(Long.MAX_VALUE);

    /** Acknowledged workflows and steps calls: name → the answer (a JSON string). */
    final Map<String, String> workflows = new ConcurrentHashMap<>();

    final Map<String, String> steps = new ConcurrentHashMap<>();
    final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The longest request, from its first try to its acknowledgement, started after the mark. */
    final AtomicLong longestAfterMarkMs = new AtomicLong();

    final ExecutorService clients = Executors.newFixedThreadPool(ADDERS + 2);
    final List<Future<?>> loops = new ArrayList<>();

    Load(String prefix, int keys) {
      this.prefix = prefix;
      this.keys = keys;
      for (int c = 0; c < ADDERS + 2; c++) {
        int client = c;
        loops.add(
            clients.submit(
                () -> {
                  int i = 0;
                  while (running.get()) {
                    if (client == ADDERS) {
                      workflow(prefix + "wf-" + i, i);
                    } else if (client == ADDERS + 1) {
                      String name = prefix + "steps-" + i;
                      String r = timed("POST", "/ClusterSteps/steps", "\"" + name + "\"", name, i);
                      if (r != null) {
                        steps.put(name, r);
                      }
                    } else {
                      add(client, i);
                    }
                    i++;
                  }
                  return null;
                }));
      }
    }

    void add(int client, int i) throws InterruptedException {
      String key = prefix + ((client * 7 + i) % keys);
      String idem = prefix + "c" + client + "-" + i;
      attempted.incrementAndGet();
      long started = System.nanoTime();
      long at = addUntilAcknowledged(key, idem, client + i);
      if (at < 0) {
        lost.incrementAndGet();
        failures.add("add " + idem);
      } else {
        acked.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (started >= markedAt.get()) {
          firstAckAfterMark.computeIfAbsent(key, k -> new AtomicLong(at));
          longestAfterMarkMs.accumulateAndGet((at - started) / 1_000_000, Math::max);
        }
      }
    }

    /**
     * One workflow: its run sent (a workflow's run starts once per id, restate takes no idempotency
     * key on it), its promise resolved with an idempotency key, its result attached.
     */
    void workflow(String id, int firstNode) throws InterruptedException {
      if (timed("POST", "/ClusterFlow/" + id + "/run/send", "\"" + id + "\"", null, firstNode)
              == null
          || timed("POST", "/ClusterFlow/" + id + "/approve", "\"ok\"", id + "-ok", firstNode + 1)
              == null) {
        return;
      }
      String r =
          timed(
              "GET", "/restate/workflow/ClusterFlow/" + id + "/attach", null, null, firstNode + 2);
      if (r != null) {
        workflows.put(id, r);
      }
    }

    /**
     * {@link #untilOk}, its time counted in {@link #longestAfterMarkMs}, a failure in {@link
     * #lost}.
     */
    String timed(String method, String path, String body, String idempotencyKey, int firstNode)
        throws InterruptedException {
      long started = System.nanoTime();
      String r = untilOk(method, path, body, idempotencyKey, firstNode);
      if (r == null) {
        lost.incrementAndGet();
        failures.add(method + " " + path);
      } else if (started >= markedAt.get()) {
        longestAfterMarkMs.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
      }
      return r;
    }

    /** From now on, the first acknowledgement per key is remembered; returns now. */
    long mark() {
      firstAckAfterMark.clear();
      long now = System.nanoTime();
      markedAt.set(now);
      return now;
    }

    /**
     * Milliseconds from {@code t0} until an add started after the mark was acknowledged on every
     * key.
     */
    long everyKeyServedAfter(long t0, String what) {
      Wait.until(what, Duration.ofSeconds(30), () -> firstAckAfterMark.size() == keys);
      long last =
          firstAckAfterMark.values().stream().mapToLong(AtomicLong::get).max().orElseThrow();
      return (last - t0) / 1_000_000;
    }

    /** Stops the clients and waits for them (again: a no-op). */
    void stop() throws Exception {
      running.set(false);
      for (Future<?> f : loops) {
        f.get();
      }
      clients.shutdown();
    }

    /**
     * Every acknowledged add counts exactly once, through every live node; every acknowledged
     * workflow answers its one result through every live node; no journaled {@code ctx.run} step
     * ran again ({@link StepRuns}), and a step that ran again before its result was journaled did
     * so in the window {@code [rerunFrom, rerunTo]} (wall clock millis; {@code rerunTo <
     * rerunFrom}: none may). Returns the figures.
     */
    Figures checkExact(long rerunFrom, long rerunTo) throws Exception {
      int total = 0;
      for (int k = 0; k < keys; k++) {
        String key = prefix + k;
        int expected = acked.getOrDefault(key, new AtomicInteger()).get();
        total += expected;
        for (int n = 0; n < NODES; n++) {
          if (dead[n]) {
            continue;
          }
          assertThat(
                  send(nodes.get(n).ingressPort(), "POST", "/Counter/" + key + "/get", null).body())
              .as("key %s through node %d", key, n + 1)
              .isEqualTo(Integer.toString(expected));
        }
      }
      assertThat(failures).as("requests never acknowledged").isEmpty();
      assertThat(lost.get()).as("requests never acknowledged").isZero();
      Map<String, List<String>> journaled = new java.util.HashMap<>();
      for (Map.Entry<String, String> w : workflows.entrySet()) {
        String id = w.getKey();
        String answer = JSON.readValue(w.getValue(), String.class);
        assertThat(answer).as("workflow %s", id).startsWith(id + " approved by ok | ");
        journaled.put(id, List.of(answer.substring(answer.indexOf(" | ") + 3).split(",")));
        for (int n = 0; n < NODES; n++) {
          if (!dead[n]) {
            HttpResponse<String> o =
                send(
                    nodes.get(n).ingressPort(),
                    "GET",
                    "/restate/workflow/ClusterFlow/" + id + "/output",
                    null);
            assertThat(o.statusCode()).as("output of %s through node %d", id, n + 1).isEqualTo(200);
            assertThat(o.body())
                .as("output of %s through node %d", id, n + 1)
                .isEqualTo(w.getValue());
          }
        }
      }
      for (Map.Entry<String, String> s : steps.entrySet()) {
        journaled.put(s.getKey(), List.of(JSON.readValue(s.getValue(), String.class).split(",")));
      }
      assertThat(workflows).as("workflows acknowledged").isNotEmpty();
      assertThat(steps).as("steps calls acknowledged").isNotEmpty();
      StepRuns runs =
          StepRuns.check(
              Files.readAllLines(markers.resolve(ClusterSteps.MARKER)),
              journaled,
              rerunFrom,
              rerunTo);
      return new Figures(total, workflows.size(), steps.size(), runs.steps(), runs.reruns());
    }
  }

  /** What a load's check counted. */
  record Figures(int adds, int workflows, int stepCalls, int steps, int reruns) {
    @Override
    public String toString() {
      return String.format(
          "%d adds acknowledged, each counted once; %d workflows acknowledged, each with its one"
              + " result; %d steps calls acknowledged; %d journaled ctx.run steps, none run again"
              + " after journaled; %d steps run again before their result was journaled",
          adds, workflows, stepCalls, steps, reruns);
    }
  }

  /**
   * The {@code ctx.run} check over the marker {@link ClusterSteps#MARKER} (a line {@code <name>
   * <step> <attempt> <millis>} per execution of a step's closure) and the attempts the answers name
   * as journaled per step: for each acknowledged call and step, the journaled attempt ran the step
   * once, and no execution of the step follows it (a journaled result is never computed again). An
   * execution before it is a re-run of a step whose result never was journaled: it must be the last
   * step its attempt ran (a step's closure runs only once the previous step's result was
   * acknowledged as journaled) and lie in the window given.
   */
  record StepRuns(int steps, int reruns) {
    static StepRuns check(
        List<String> lines, Map<String, List<String>> journaled, long from, long to) {
      Map<String, List<String[]>> byStep = new java.util.HashMap<>();
      Map<String, Integer> lastStepOfAttempt = new java.util.HashMap<>();
      for (String line : lines) {
        String[] f = line.split(" ");
        if (f.length != 4 || !journaled.containsKey(f[0])) {
          continue;
        }
        byStep.computeIfAbsent(f[0] + " " + f[1], k -> new ArrayList<>()).add(f);
        lastStepOfAttempt.merge(f[0] + " " + f[2], Integer.parseInt(f[1]), Math::max);
      }
      int steps = 0;
      int reruns = 0;
      for (Map.Entry<String, List<String>> j : journaled.entrySet()) {
        for (int s = 0; s < j.getValue().size(); s++) {
          String attempt = j.getValue().get(s);
          List<String[]> runs = byStep.getOrDefault(j.getKey() + " " + s, List.of());
          List<String> attempts = runs.stream().map(f -> f[2]).toList();
          assertThat(attempts)
              .as("executions of step %d of %s, journaled: %s", s, j.getKey(), attempt)
              .containsOnlyOnce(attempt)
              .endsWith(attempt);
          steps++;
          for (String[] f : runs.subList(0, attempts.indexOf(attempt))) {
            reruns++;
            assertThat(lastStepOfAttempt.get(f[0] + " " + f[2]))
                .as("a step of %s ran after step %d of its attempt %s, unjournaled", f[0], s, f[2])
                .isEqualTo(s);
            long at = Long.parseLong(f[3]);
            assertThat(at >= from && at <= to)
                .as(
                    "step %d of %s ran again (first in attempt %s at %d) outside the disturbance"
                        + " [%d, %d]",
                    s, f[0], f[2], at, from, to)
                .isTrue();
          }
        }
      }
      return new StepRuns(steps, reruns);
    }
  }

  /** The live member leading the most partitions: {node index, partitions}. */
  static int[] busiestLeader() throws Exception {
    int live = 0;
    while (dead[live]) {
      live++;
    }
    int victim = -1;
    int most = -1;
    for (JsonNode m : cluster(live).get("nodes")) {
      if (m.get("partitions").size() > most) {
        most = m.get("partitions").size();
        victim = m.get("node_id").asInt() - 1;
      }
    }
    return new int[] {victim, most};
  }

  static void awaitEveryPartitionLedByTheMembers(int members) {
    Wait.until(
        members + " members leading every partition",
        Duration.ofSeconds(60),
        () -> {
          int live = 0;
          while (dead[live]) {
            live++;
          }
          JsonNode v = cluster(live);
          if (v.get("nodes").size() != members) {
            return false;
          }
          int led = 0;
          for (JsonNode m : v.get("nodes")) {
            led += m.get("partitions").size();
          }
          return led == PARTITIONS;
        });
  }

  @Test
  @Order(1)
  void addsThroughEveryNodeAreExactAndAKilledLeadersPartitionsServeAgainWithinFiveSeconds()
      throws Exception {
    for (int n = 0; n < NODES; n++) {
      assertThat(healthMembers(n)).containsExactly(1, 2, 3);
    }
    // exact results through every node, with no failure
    for (int i = 0; i < 12; i++) {
      String key = "exact-" + (i % 4);
      HttpResponse<String> r =
          send(nodes.get(i % NODES).ingressPort(), "POST", "/Counter/" + key + "/add", "1");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
    for (int n = 0; n < NODES; n++) {
      for (int k = 0; k < 4; k++) {
        assertThat(
                send(nodes.get(n).ingressPort(), "POST", "/Counter/exact-" + k + "/get", null)
                    .body())
            .isEqualTo("3");
      }
    }

    // bounded load through every node; SIGKILL of the node leading the most partitions
    Figures total;
    long failoverMillis;
    int victim;
    Load load = new Load("load-", 24);
    try {
      Thread.sleep(3000);
      int[] busiest = busiestLeader();
      victim = busiest[0];
      int before = load.attempted.get();
      long t0 = load.mark();
      dead[victim] = true;
      nodes.get(victim).kill9();
      System.out.printf(
          "ClusterIT: killed node %d (leading %d of %d partitions) after %d adds%n",
          victim + 1, busiest[1], PARTITIONS, before);
      long killedAt = System.currentTimeMillis();
      failoverMillis =
          load.everyKeyServedAfter(t0, "an add acknowledged on every key after the kill");
      Thread.sleep(2000);
      load.stop();
      total = load.checkExact(killedAt - 2000, killedAt + failoverMillis + 10_000);
    } finally {
      load.stop();
    }
    JsonNode after = cluster(victim == 0 ? 1 : 0);
    System.out.printf(
        "ClusterIT: after the node kill: %s; every key served again %d ms after the kill;"
            + " members after: %s%n",
        total, failoverMillis, after.get("nodes"));
    assertThat(after.get("nodes").size()).isEqualTo(NODES - 1);
    assertThat(healthMembers(victim == 0 ? 1 : 0)).doesNotContain(victim + 1).hasSize(NODES - 1);
    for (JsonNode p : after.get("partitions")) {
      assertThat(p.get("leader_node").asInt()).isNotEqualTo(victim + 1);
    }
    assertThat(failoverMillis).isLessThan(5000);
  }

  @Test
  @Order(2)
  void aRestartedNodeRejoinsAndAPausedLeaderIsFencedWithoutDuplicateEffects() throws Exception {
    // the node killed before starts again on its data: replays from Kafka, follows, rejoins
    for (int n = 0; n < NODES; n++) {
      if (dead[n]) {
        long t0 = System.nanoTime();
        nodes.get(n).start();
        dead[n] = false;
        awaitEveryPartitionLedByTheMembers(NODES);
        System.out.printf(
            "ClusterIT: node %d restarted and rejoined in %d ms%n",
            n + 1, (System.nanoTime() - t0) / 1_000_000);
      }
    }
    int pauseSeconds = Integer.getInteger("cluster.pause.seconds", 30);
    Figures total;
    long servedMillis;
    int victim;
    Load load = new Load("pause-", 24);
    try {
      Thread.sleep(3000);
      int[] busiest = busiestLeader();
      victim = busiest[0];
      long pid = nodes.get(victim).pid();
      long t0 = load.mark();
      long stoppedAt = System.currentTimeMillis();
      dead[victim] = true; // new requests go to the others; those in flight to it wait
      signal("STOP", pid);
      System.out.printf(
          "ClusterIT: SIGSTOP node %d (leading %d of %d partitions) for %d s%n",
          victim + 1, busiest[1], PARTITIONS, pauseSeconds);
      servedMillis = load.everyKeyServedAfter(t0, "an add acknowledged on every key after SIGSTOP");
      Thread.sleep(Math.max(0, pauseSeconds * 1000L - (System.nanoTime() - t0) / 1_000_000));
      signal("CONT", pid);
      long resumedAt = System.currentTimeMillis();
      dead[victim] = false;
      // the resumed node learns from the log that it lost its partitions, then rejoins the group
      awaitEveryPartitionLedByTheMembers(NODES);
      Thread.sleep(3000); // adds through the resumed node too
      load.stop();
      total = load.checkExact(stoppedAt - 2000, resumedAt + 10_000);
    } finally {
      load.stop();
    }
    String log = Files.readString(nodes.get(victim).log());
    long stepDowns = log.lines().filter(l -> l.contains("this node stops leading")).count();
    long fenced = linesInNodeLogs("ignoring records of fenced leader");
    // the resumed node noticed it stood still: it led nothing until it had rejoined the group
    long stoodStill = log.lines().filter(l -> l.contains("it may have been fenced")).count();
    System.out.printf(
        "ClusterIT: after SIGSTOP every key served again in %d ms; %s; the resumed node noticed"
            + " its stand-still %d times, stepped down on a newer announcement %d times; %d"
            + " fenced-record warnings in the nodes' logs%n",
        servedMillis, total, stoodStill, stepDowns, fenced);
    assertThat(servedMillis).isLessThan(5000);
    assertThat(stoodStill).as("the resumed node noticed its stand-still").isPositive();
  }

  @Test
  @Order(3)
  void aKilledKafkaBrokerLosesNothingAndStallsNoAddOverTenSeconds() throws Exception {
    int brokerVictim = brokerLeadingTheMostLogPartitions();
    Figures total;
    long servedMillis;
    long longest;
    Load load = new Load("broker-", 24);
    try {
      Thread.sleep(3000);
      int before = load.attempted.get();
      long t0 = load.mark();
      broker.broker(brokerVictim).kill9();
      System.out.printf(
          "ClusterIT: killed Kafka broker %d (leader of the most log partitions) after %d adds%n",
          brokerVictim, before);
      servedMillis =
          load.everyKeyServedAfter(t0, "an add acknowledged on every key after the broker kill");
      Thread.sleep(5000);
      load.stop();
      longest = load.longestAfterMarkMs.get();
      total = load.checkExact(0, -1); // no step may run again
    } finally {
      load.stop();
    }
    System.out.printf(
        "ClusterIT: after the broker kill every key served again in %d ms; longest request %d"
            + " ms; %s%n",
        servedMillis, longest, total);
    assertThat(longest).as("longest request after the broker kill, ms").isLessThan(10_000);
  }

  @Test
  @Order(4)
  void aKafkaOutageLongerThanTheAppendTimeoutStopsNoNodeForGood() throws Exception {
    // every live broker paused past the append timeout: appends in flight fail, each node's log
    // stops taking appends, the node leaves the group, takes appends again through a new producer
    // and joins again; once Kafka is back every node leads and serves, and nothing acknowledged is
    // lost or counted twice
    List<Long> pids = broker.brokers().stream().filter(b -> b.isAlive()).map(b -> b.pid()).toList();
    int outageSeconds = APPEND_TIMEOUT_SECONDS + 4;
    Figures total;
    long servedMillis;
    Load load = new Load("outage-", 24);
    try {
      Thread.sleep(3000);
      long stoppedAt = System.currentTimeMillis();
      for (long pid : pids) {
        signal("STOP", pid);
      }
      System.out.printf(
          "ClusterIT: SIGSTOP of the %d live Kafka brokers for %d s (append timeout %d s)%n",
          pids.size(), outageSeconds, APPEND_TIMEOUT_SECONDS);
      Thread.sleep(outageSeconds * 1000L);
      long t0 = load.mark();
      for (long pid : pids) {
        signal("CONT", pid);
      }
      long resumedAt = System.currentTimeMillis();
      servedMillis = load.everyKeyServedAfter(t0, "an add acknowledged on every key after Kafka");
      awaitEveryPartitionLedByTheMembers(NODES);
      Thread.sleep(3000); // adds through every node again
      load.stop();
      total = load.checkExact(stoppedAt - 2000, resumedAt + 15_000);
    } finally {
      load.stop();
    }
    long restarted = linesInNodeLogs("the log takes appends again");
    System.out.printf(
        "ClusterIT: after the Kafka outage every key served again in %d ms; %s; logs that took appends again through a new producer: %d%n",
        servedMillis, total, restarted);
    assertThat(restarted).as("nodes whose appends failed and came back").isPositive();
  }

  /** How many lines of all nodes' logs contain {@code text}. */
  static long linesInNodeLogs(String text) throws IOException {
    long n = 0;
    for (ResoluteProcess node : nodes) {
      n += Files.readString(node.log()).lines().filter(l -> l.contains(text)).count();
    }
    return n;
  }

  /** The node id of the broker that leads the most partitions of the cluster's log topic. */
  static int brokerLeadingTheMostLogPartitions() throws Exception {
    Map<String, Object> props = new java.util.HashMap<>();
    props.put(
        org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrapServers());
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(props)) {
      var d =
          admin
              .describeTopics(List.of("cluster-it-log"))
              .allTopicNames()
              .get(30, java.util.concurrent.TimeUnit.SECONDS)
              .get("cluster-it-log");
      Map<Integer, Integer> led = new java.util.HashMap<>();
      d.partitions().forEach(p -> led.merge(p.leader().id(), 1, Integer::sum));
      return led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
  }

  static void signal(String signal, long pid) throws Exception {
    ClusterHarness.signal(signal, pid);
  }
}
