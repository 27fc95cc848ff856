package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.KafkaBroker;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.Wait;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  static KafkaBroker broker;
  static ChildProcess services;
  static final List<ResoluteProcess> nodes = new ArrayList<>();
  static final boolean[] paused = new boolean[NODES];

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.create("cluster-fencing").start();
    Path markers = Files.createTempDirectory("cluster-fencing-markers");
    services =
        ChildProcess.start(
            ChildProcess.javaCommand(
                ChildProcess.testClasspath(),
                List.of(),
                "dev.resolute.server.it.TestServices",
                List.of("0", markers.toString())),
            Map.of(),
            markers.resolve("services.log"));
    int servicesPort =
        Integer.parseInt(
            services.awaitOutput(Harness.SERVICES_READY, Duration.ofSeconds(60)).group(1));
    for (int i = 1; i <= NODES; i++) {
      ResoluteProcess n = ResoluteProcess.create("cluster-fencing-n" + i);
      Path config = n.workDir().resolve("cluster.toml");
      Files.createDirectories(n.workDir());
      Files.writeString(
          config,
          String.join(
              "\n",
              "node-name = \"f" + i + "\"",
              "default-num-partitions = " + PARTITIONS,
              "[cluster]",
              "node-id = " + i,
              "bootstrap-servers = \"" + broker.bootstrapServers() + "\"",
              "topic = \"cluster-fencing-log\"",
              "replication-factor = 1",
              "min-insync-replicas = 1",
              "session-timeout = \"1500ms\"",
              "fencing = \"" + System.getProperty("fencing.mode", "transactional") + "\"",
              ""));
      n.args("--config-file", config.toString());
      nodes.add(n);
    }
    ResoluteProcess first = nodes.get(0).start();
    HttpResponse<String> r =
        send(
            first.adminPort(),
            "POST",
            "/deployments",
            "{\"uri\":\"http://127.0.0.1:" + servicesPort + "\"}",
            Duration.ofSeconds(30));
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    nodes.get(1).start();
    for (ResoluteProcess n : nodes) {
      Wait.until(
          "Counter registered on " + n.workDir(),
          Duration.ofSeconds(30),
          () ->
              send(n.ingressPort(), "GET", "/restate/health", null, Duration.ofSeconds(10))
                  .body()
                  .contains("Counter"));
    }
    awaitEveryPartitionLedByBoth();
  }

  @AfterAll
  static void stop() {
    for (ResoluteProcess n : nodes) {
      n.kill9();
    }
    if (services != null) {
      services.kill9();
    }
    if (broker != null) {
      broker.close();
    }
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
    Wait.until(
        "every partition led, both nodes members",
        Duration.ofSeconds(60),
        () -> {
          JsonNode v = cluster(0);
          if (v.get("nodes").size() != NODES) {
            return false;
          }
          for (JsonNode p : v.get("partitions")) {
            if (p.get("leader_node").asInt() == 0) {
              return false;
            }
          }
          return true;
        });
  }

  static HttpResponse<String> send(
      int port, String method, String path, String body, Duration timeout, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    if (body != null) {
      b.header("content-type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void signal(String signal, long pid) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertThat(p.waitFor()).isZero();
  }
}
