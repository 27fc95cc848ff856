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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cluster mode with real processes: one KRaft broker, three Resolute nodes on one log topic, one
 * deployment. Object adds through every node give exact results; SIGKILL of the node leading the
 * most partitions under load: its partitions serve again on the others within 5 s, and every
 * acknowledged add is reflected exactly once (each add is retried with its idempotency key on
 * another node until acknowledged).
 */
@Timeout(300)
class ClusterIT {
  static final int NODES = 3;
  static final int PARTITIONS = 6;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  static KafkaBroker broker;
  static ChildProcess services;
  static int servicesPort;
  static final List<ResoluteProcess> nodes = new ArrayList<>();
  static final boolean[] dead = new boolean[NODES];

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.create("cluster").start();
    Path markers = Files.createTempDirectory("cluster-markers");
    services =
        ChildProcess.start(
            ChildProcess.javaCommand(
                ChildProcess.testClasspath(),
                List.of(),
                "dev.resolute.server.it.TestServices",
                List.of("0", markers.toString())),
            Map.of(),
            markers.resolve("services.log"));
    servicesPort =
        Integer.parseInt(
            services.awaitOutput(Harness.SERVICES_READY, Duration.ofSeconds(60)).group(1));
    for (int i = 1; i <= NODES; i++) {
      ResoluteProcess n = ResoluteProcess.create("cluster-n" + i);
      Path config = n.workDir().resolve("cluster.toml");
      Files.createDirectories(n.workDir());
      Files.writeString(
          config,
          String.join(
              "\n",
              "node-name = \"n" + i + "\"",
              "default-num-partitions = " + PARTITIONS,
              "[cluster]",
              "node-id = " + i,
              "bootstrap-servers = \"" + broker.bootstrapServers() + "\"",
              "topic = \"cluster-it-log\"",
              "replication-factor = 1",
              "min-insync-replicas = 1",
              "session-timeout = \"1500ms\"",
              ""));
      n.args("--config-file", config.toString());
      nodes.add(n);
    }
    // The schema registry is node-local until it is replicated: node 1 registers the deployment
    // and the others start with a copy of its registry, so a deployment id pinned by one leader is
    // known to the next.
    ResoluteProcess first = nodes.get(0).start();
    HttpResponse<String> r =
        send(
            first.adminPort(),
            "POST",
            "/deployments",
            "{\"uri\":\"http://127.0.0.1:" + servicesPort + "\"}");
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    Path registry = first.dataDir().resolve("n1").resolve("schema-registry.json");
    Wait.until("node 1's registry file", Duration.ofSeconds(10), () -> Files.exists(registry));
    for (int i = 2; i <= NODES; i++) {
      Path dir = nodes.get(i - 1).dataDir().resolve("n" + i);
      Files.createDirectories(dir);
      Files.copy(registry, dir.resolve("schema-registry.json"));
      nodes.get(i - 1).start();
    }
    for (ResoluteProcess n : nodes) {
      Wait.until(
          "Counter registered on " + n.workDir(),
          Duration.ofSeconds(30),
          () -> send(n.ingressPort(), "GET", "/restate/health", null).body().contains("Counter"));
    }
    Wait.until(
        "every partition led by a member",
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

  static JsonNode cluster(int node) throws Exception {
    HttpResponse<String> r = send(nodes.get(node).adminPort(), "GET", "/cluster", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static HttpResponse<String> send(int port, String method, String path, String body)
      throws IOException, InterruptedException {
    return send(port, method, path, body, Duration.ofSeconds(30));
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

  /** One add, retried with its idempotency key on the next live node until acknowledged. */
  static long addUntilAcknowledged(String key, String idempotencyKey, int firstNode)
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
            send(
                nodes.get(node).ingressPort(),
                "POST",
                "/Counter/" + key + "/add",
                "1",
                Duration.ofSeconds(20),
                "idempotency-key",
                idempotencyKey);
        if (r.statusCode() == 200) {
          return System.nanoTime();
        }
      } catch (IOException e) {
        // the node died under the request: the same idempotency key goes to the next node
      }
      node++;
      Thread.sleep(50);
    }
    return -1;
  }

  @Test
  void addsThroughEveryNodeAreExactAndAKilledLeadersPartitionsServeAgainWithinFiveSeconds()
      throws Exception {
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
    int keys = 24;
    Map<String, AtomicInteger> acked = new ConcurrentHashMap<>();
    Map<String, AtomicLong> firstAckAfterKill = new ConcurrentHashMap<>();
    AtomicInteger attempted = new AtomicInteger();
    AtomicInteger lost = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<Future<?>> loops = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      int client = c;
      loops.add(
          clients.submit(
              () -> {
                int i = 0;
                while (running.get()) {
                  String key = "load-" + ((client * 7 + i) % keys);
                  String idem = "c" + client + "-" + i;
                  attempted.incrementAndGet();
                  long started = System.nanoTime();
                  long at = addUntilAcknowledged(key, idem, client + i);
                  if (at < 0) {
                    lost.incrementAndGet();
                  } else {
                    acked.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    if (started >= killedAt.get()) {
                      firstAckAfterKill.computeIfAbsent(key, k -> new AtomicLong(at));
                    }
                  }
                  i++;
                }
                return null;
              }));
    }
    Thread.sleep(3000);
    JsonNode view = cluster(0);
    int victim = -1;
    int most = -1;
    for (JsonNode m : view.get("nodes")) {
      if (m.get("partitions").size() > most) {
        most = m.get("partitions").size();
        victim = m.get("node_id").asInt() - 1;
      }
    }
    int before = attempted.get();
    long t0 = System.nanoTime();
    killedAt.set(t0);
    dead[victim] = true;
    nodes.get(victim).kill9();
    System.out.printf(
        "ClusterIT: killed node %d (leading %d of %d partitions) after %d adds%n",
        victim + 1, most, PARTITIONS, before);
    Wait.until(
        "an add acknowledged on every key after the kill",
        Duration.ofSeconds(30),
        () -> firstAckAfterKill.size() == keys);
    long lastServed =
        firstAckAfterKill.values().stream().mapToLong(AtomicLong::get).max().orElseThrow();
    long failoverMillis = (lastServed - t0) / 1_000_000;
    Thread.sleep(2000);
    running.set(false);
    for (Future<?> f : loops) {
      f.get();
    }
    clients.shutdown();

    int survivor = victim == 0 ? 1 : 0;
    JsonNode after = cluster(survivor);
    int total = 0;
    for (int k = 0; k < keys; k++) {
      String key = "load-" + k;
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
    System.out.printf(
        "ClusterIT: %d adds acknowledged (%d given up), every key served again %d ms after the"
            + " kill; members after: %s%n",
        total, lost.get(), failoverMillis, after.get("nodes"));
    assertThat(lost.get()).isZero();
    assertThat(after.get("nodes").size()).isEqualTo(NODES - 1);
    for (JsonNode p : after.get("partitions")) {
      assertThat(p.get("leader_node").asInt()).isNotEqualTo(victim + 1);
    }
    assertThat(failoverMillis).isLessThan(5000);
  }
}
