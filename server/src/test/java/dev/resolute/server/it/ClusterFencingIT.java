package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.KafkaBroker;
import dev.resolute.testsupport.ResoluteProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Transactional fencing ({@code cluster.fencing = "transactional"}) with real processes: one KRaft
 * broker, two Resolute nodes, object adds through both, each retried with its idempotency key on
 * the other node until acknowledged. The node leading the most partitions is paused (SIGSTOP) long
 * enough for the other to take its partitions over, then resumed: every acknowledged add counts
 * exactly once through both nodes, and no record of the paused leader reached the log after the new
 * leader's announcement — no node's apply had a record of a fenced leader to ignore. With {@code
 * -Dfencing.mode=epoch} the same run fails that check (the resumed leader's appends reach the log
 * and apply ignores them), which shows the test tells the two modes apart.
 */
@Timeout(300)
class ClusterFencingIT {
  static final int NODES = 2;
  static final int PARTITIONS = 4;
  static final int KEYS = 8;
  static final ObjectMapper JSON = new ObjectMapper();

  static KafkaBroker broker;
  static ChildProcess services;
  static final List<ResoluteProcess> nodes = new ArrayList<>();
  static final boolean[] paused = new boolean[NODES];

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.create("cluster-fencing").start();
    ClusterHarness.Services s =
        ClusterHarness.startServices(Files.createTempDirectory("cluster-fencing-markers"));
    services = s.process();
    for (int i = 1; i <= NODES; i++) {
      nodes.add(
          ClusterHarness.node(
              "cluster-fencing-n" + i,
              "f" + i,
              i,
              PARTITIONS,
              broker.bootstrapServers(),
              List.of(
                  "topic = \"cluster-fencing-log\"",
                  "replication-factor = 1",
                  "min-insync-replicas = 1",
                  "session-timeout = \"1500ms\"",
                  "fencing = \"" + System.getProperty("fencing.mode", "transactional") + "\""),
              List.of()));
    }
    ClusterHarness.registerThroughFirstAndStartTheOthers(nodes, s.port(), "Counter");
    awaitEveryPartitionLedByBoth();
  }

  @AfterAll
  static void stop() throws Exception {
    ClusterHarness.stopAll(nodes, services, broker);
  }

  @Test
  void aPausedLeaderAppendsNothingAfterItsSuccessorTookOverAndNoAddCountsTwice() throws Exception {
    Map<String, AtomicInteger> acked = new ConcurrentHashMap<>();
    AtomicInteger lost = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<?>> loops = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      int client = c;
      loops.add(
          clients.submit(
              () -> {
                int i = 0;
                while (running.get()) {
                  String key = "k" + ((client * 3 + i) % KEYS);
                  if (add(key, "c" + client + "-" + i, client + i)) {
                    acked.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                  } else {
                    lost.incrementAndGet();
                  }
                  i++;
                }
                return null;
              }));
    }
    int victim;
    try {
      Thread.sleep(3000);
      victim = busiestLeader();
      long pid = nodes.get(victim).pid();
      paused[victim] = true;
      signal("STOP", pid);
      // the other node takes the partitions over (session timeout 1.5 s) and serves them
      Thread.sleep(8000);
      signal("CONT", pid);
      paused[victim] = false;
      awaitEveryPartitionLedByBoth();
      Thread.sleep(3000); // adds through the resumed node too
    } finally {
      running.set(false);
      for (Future<?> f : loops) {
        f.get();
      }
      clients.shutdown();
    }
    int total = 0;
    for (int k = 0; k < KEYS; k++) {
      String key = "k" + k;
      int expected = acked.getOrDefault(key, new AtomicInteger()).get();
      total += expected;
      for (ResoluteProcess n : nodes) {
        assertThat(
                send(
                        n.ingressPort(),
                        "POST",
                        "/Counter/" + key + "/get",
                        null,
                        Duration.ofSeconds(30))
                    .body())
            .as("key %s through %s", key, n.workDir())
            .isEqualTo(Integer.toString(expected));
      }
    }
    assertThat(lost.get()).as("adds never acknowledged").isZero();
    long ignored = 0;
    for (ResoluteProcess n : nodes) {
      ignored +=
          Files.readString(n.log())
              .lines()
              .filter(l -> l.contains("ignoring records of fenced leader"))
              .count();
    }
    String victimLog = Files.readString(nodes.get(victim).log());
    long fencedWriters =
        victimLog.lines().filter(l -> l.contains("leader writer fenced by a newer leader")).count();
    System.out.printf(
        "ClusterFencingIT: %d adds acknowledged, each counted once; the paused node's leader"
            + " writers fenced %d times; %d records of a fenced leader reached apply%n",
        total, fencedWriters, ignored);
    assertThat(total).isPositive();
    assertThat(ignored).as("records of a fenced leader that reached the log").isZero();
  }

  /** One add, retried with its idempotency key on the other node until acknowledged. */
  static boolean add(String key, String idempotencyKey, int firstNode) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int node = firstNode;
    while (System.nanoTime() < deadline) {
      node = node % NODES;
      if (paused[node]) {
        node++;
        continue;
      }
      try {
        HttpResponse<String> r =
            send(
                nodes.get(node).ingressPort(),
                "POST",
                "/Counter/" + key + "/add",
                "1",
                Duration.ofSeconds(20),
                "idempotency-key",
                idempotencyKey);
        if (r.statusCode() == 200) {
          return true;
        }
      } catch (IOException e) {
        // no answer from this node: the same idempotency key goes to the other one
      }
      node++;
      Thread.sleep(50);
    }
    return false;
  }

  static JsonNode cluster(int node) throws Exception {
    HttpResponse<String> r =
        send(nodes.get(node).adminPort(), "GET", "/cluster", null, Duration.ofSeconds(30));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** The node index leading the most partitions. */
  static int busiestLeader() throws Exception {
    int victim = 0;
    int most = -1;
    for (JsonNode m : cluster(0).get("nodes")) {
      if (m.get("partitions").size() > most) {
        most = m.get("partitions").size();
        victim = m.get("node_id").asInt() - 1;
      }
    }
    return victim;
  }

  static void awaitEveryPartitionLedByBoth() {
    ClusterHarness.awaitEveryPartitionLed(nodes.get(0).adminPort(), NODES);
  }

  static HttpResponse<String> send(
      int port, String method, String path, String body, Duration timeout, String... headers)
      throws IOException, InterruptedException {
    return ClusterHarness.send(port, method, path, body, timeout, headers);
  }

  static void signal(String signal, long pid) throws Exception {
    ClusterHarness.signal(signal, pid);
  }
}
