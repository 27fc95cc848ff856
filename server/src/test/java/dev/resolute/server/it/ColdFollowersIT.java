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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cold followers ({@code cluster.warm-followers = false}) with real processes: one KRaft broker,
 * two nodes on one log topic, snapshots to a directory every 40 records of a partition (one kept,
 * the log trimmed below it). Counter adds and workflows go through both nodes, so most requests are
 * answered through a forwarded reply from the other node; SQL through either node sees every add
 * (it catches the partitions it does not lead up first). More adds until the log is trimmed past
 * what the second node applied of the first node's partitions; then the node leading partition 0
 * (the snapshot writer) is killed: the survivor restores those partitions from the snapshot into
 * its running store, replays the tail, leads them, and every counter equals its acknowledged adds;
 * every workflow answers its result.
 */
@Timeout(240)
class ColdFollowersIT {
  static final int PARTITIONS = 4;
  static final int KEYS = 8;
  static final String TOPIC = "cold-log";
  static final ObjectMapper JSON = new ObjectMapper();

  static KafkaCluster broker;
  static ChildProcess services;
  static int servicesPort;
  static final List<ResoluteProcess> nodes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaCluster.create("cold", 1).start();
    ClusterHarness.Services s =
        ClusterHarness.startServices(Files.createTempDirectory("cold-markers"));
    services = s.process();
    servicesPort = s.port();
  }

  @AfterAll
  static void stop() throws Exception {
    ClusterHarness.stopAll(nodes, services, broker);
  }

  static ResoluteProcess node(int id, Path repo) throws IOException {
    ResoluteProcess n =
        ClusterHarness.node(
            "cold-n" + id,
            "n" + id,
            id,
            PARTITIONS,
            broker.bootstrapServers(),
            List.of(
                "topic = \"" + TOPIC + "\"",
                "replication-factor = 1",
                "min-insync-replicas = 1",
                "warm-followers = false",
                "session-timeout = \"1500ms\""),
            List.of(
                "[worker.snapshots]",
                "destination = \"file://" + repo + "\"",
                "snapshot-interval-num-records = 40",
                "num-retained = 1"));
    nodes.add(n);
    return n;
  }

  static HttpResponse<String> send(int port, String method, String path, String body)
      throws IOException, InterruptedException {
    return ClusterHarness.send(port, method, path, body, Duration.ofSeconds(20));
  }

  /** Every Counter's count as the node's SQL answers it. */
  static Map<String, Integer> countsBySql(ResoluteProcess n) throws Exception {
    HttpResponse<String> r =
        ClusterHarness.send(
            n.adminPort(),
            "POST",
            "/query",
            "{\"query\":\"SELECT service_key, value_utf8 FROM state WHERE service_name ="
                + " 'Counter' AND key = 'count'\"}",
            Duration.ofSeconds(60),
            "accept",
            "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Map<String, Integer> out = new TreeMap<>();
    for (JsonNode row : JSON.readTree(r.body()).get("rows")) {
      out.put(row.get("service_key").asText(), Integer.parseInt(row.get("value_utf8").asText()));
    }
    return out;
  }

  static Map<String, Integer> snapshot(Map<String, AtomicInteger> acked) {
    Map<String, Integer> out = new TreeMap<>();
    acked.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  static void adds(List<ResoluteProcess> via, Map<String, AtomicInteger> acked, int perClient)
      throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<?>> loops = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      int client = c;
      loops.add(
          clients.submit(
              () -> {
                for (int i = 0; i < perClient; i++) {
                  String key = "c" + ((client * perClient + i) % KEYS);
                  ResoluteProcess n = via.get((client + i) % via.size());
                  HttpResponse<String> a =
                      send(n.ingressPort(), "POST", "/Counter/" + key + "/add", "1");
                  assertThat(a.statusCode()).as(a.body()).isEqualTo(200);
                  acked.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                }
                return null;
              }));
    }
    for (Future<?> f : loops) {
      f.get(120, TimeUnit.SECONDS);
    }
    clients.shutdown();
  }

  static void workflow(String id, ResoluteProcess a, ResoluteProcess b) throws Exception {
    HttpResponse<String> s = send(a.ingressPort(), "POST", "/Signup/" + id + "/run/send", "\"a\"");
    assertThat(s.statusCode()).as("run/send of %s: %s", id, s.body()).isEqualTo(202);
    HttpResponse<String> ap = send(b.ingressPort(), "POST", "/Signup/" + id + "/approve", "\"b\"");
    assertThat(ap.statusCode()).as("approve of %s: %s", id, ap.body()).isEqualTo(200);
    HttpResponse<String> at =
        send(a.ingressPort(), "GET", "/restate/workflow/Signup/" + id + "/attach", null);
    assertThat(at.statusCode()).as("attach of %s: %s", id, at.body()).isEqualTo(200);
    assertThat(at.body()).isEqualTo("\"a approved by b\"");
  }

  static void outputs(List<String> ids, ResoluteProcess n) throws Exception {
    for (String id : ids) {
      HttpResponse<String> o =
          send(n.ingressPort(), "GET", "/restate/workflow/Signup/" + id + "/output", null);
      assertThat(o.statusCode()).as("output of %s: %s", id, o.body()).isEqualTo(200);
      assertThat(o.body()).isEqualTo("\"a approved by b\"");
    }
  }

  static JsonNode cluster(ResoluteProcess n) throws Exception {
    return JSON.readTree(send(n.adminPort(), "GET", "/cluster", null).body());
  }

  @Test
  void aColdNodeRestoresAndReplaysThePartitionsOfAKilledLeader() throws Exception {
    Path repo = Files.createTempDirectory("cold-repo");
    ResoluteProcess n1 = node(1, repo);
    ResoluteProcess n2 = node(2, repo);
    ClusterHarness.registerThroughFirstAndStartTheOthers(List.of(n1, n2), servicesPort, "Counter");
    Wait.until(
        "both nodes lead partitions",
        Duration.ofSeconds(60),
        () -> {
          JsonNode v = cluster(n1);
          int led = 0;
          for (JsonNode m : v.get("nodes")) {
            led += m.get("partitions").size();
            if (m.get("partitions").isEmpty()) {
              return false;
            }
          }
          for (JsonNode p : v.get("partitions")) {
            if (p.get("leader_node").asInt() == 0) {
              return false;
            }
          }
          return v.get("nodes").size() == 2 && led == PARTITIONS;
        });

    // adds and workflows through both nodes: half of them answered by forwarded replies
    Map<String, AtomicInteger> acked = new ConcurrentHashMap<>();
    adds(List.of(n1, n2), acked, 60);
    List<String> flows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String id = "cold-wf-" + i;
      workflow(id, i % 2 == 0 ? n1 : n2, i % 2 == 0 ? n2 : n1);
      flows.add(id);
    }
    outputs(flows, n1);
    outputs(flows, n2);
    // SQL through either node: every partition current, also those it does not lead
    assertThat(countsBySql(n1)).isEqualTo(snapshot(acked));
    assertThat(countsBySql(n2)).isEqualTo(snapshot(acked));

    // the node leading partition 0 writes the snapshots; the other one is the survivor
    // (from the group's assignment: a cold node's applied leader of a partition it does not
    // apply is stale)
    int writer = 0;
    for (JsonNode m : cluster(n1).get("nodes")) {
      for (JsonNode p : m.get("partitions")) {
        if (p.asInt() == 0) {
          writer = m.get("node_id").asInt();
        }
      }
    }
    assertThat(writer).isIn(1, 2);
    ResoluteProcess victim = writer == 1 ? n1 : n2;
    ResoluteProcess survivor = writer == 1 ? n2 : n1;
    long[] survivorSaw = SnapshotRestoreIT.offsetsOf(broker, TOPIC, PARTITIONS, true);
    // more adds through the victim until the log is trimmed past the survivor's last catch-up
    // (the SQL above) in every partition
    int round = 0;
    while (true) {
      long[] start = SnapshotRestoreIT.offsetsOf(broker, TOPIC, PARTITIONS, false);
      boolean past = true;
      for (int p = 0; p < PARTITIONS; p++) {
        past &= start[p] > survivorSaw[p];
      }
      if (past) {
        break;
      }
      assertThat(round++).as("the log trimmed past the survivor's position").isLessThan(60);
      adds(List.of(victim), acked, 10);
      Thread.sleep(200);
    }
    for (int i = 6; i < 8; i++) {
      String id = "cold-wf-" + i;
      workflow(id, victim, victim);
      flows.add(id);
    }

    victim.kill9();
    SnapshotRestoreIT.awaitLeadsAll(survivor);
    String log = Files.readString(survivor.log());
    assertThat(log).contains("restored from a snapshot at LSN").contains("caught up from LSN");
    for (Map.Entry<String, AtomicInteger> e : acked.entrySet()) {
      HttpResponse<String> g =
          send(survivor.ingressPort(), "POST", "/Counter/" + e.getKey() + "/get", null);
      assertThat(g.statusCode()).as(g.body()).isEqualTo(200);
      assertThat(Long.parseLong(g.body().trim()))
          .as("counter %s on the survivor", e.getKey())
          .isEqualTo(e.getValue().get());
    }
    assertThat(countsBySql(survivor)).isEqualTo(snapshot(acked));
    outputs(flows, survivor);
    workflow("cold-wf-after", survivor, survivor);
  }
}
