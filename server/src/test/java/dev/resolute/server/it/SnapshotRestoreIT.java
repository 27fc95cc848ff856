package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.KafkaCluster;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.Wait;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Snapshots in cluster mode with real processes: one KRaft broker, Resolute nodes on one log topic.
 * Node 1 takes snapshots under a load of counter adds (every 40 records of a partition, two kept)
 * and trims the log topic below the oldest kept; then a new node 2 starts with an empty data
 * directory, restores the latest snapshot and replays the tail. Node 1 is killed, node 2 leads
 * every partition, and every counter has exactly the adds acknowledged — including those whose
 * records were trimmed from the log, which only the snapshot holds. Once with a repository in a
 * directory ({@code file://}), once in S3 (moto's server from {@code .peers/moto}, on loopback).
 */
@Timeout(300)
class SnapshotRestoreIT {
  static final int PARTITIONS = 4;
  static final int KEYS = 12;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = Harness.HTTP;

  static KafkaCluster broker;
  static ChildProcess services;
  static int servicesPort;
  final List<ResoluteProcess> nodes = new ArrayList<>();
  ChildProcess moto;

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaCluster.create("snapshots", 1).start();
    ClusterHarness.Services s =
        ClusterHarness.startServices(Files.createTempDirectory("snapshot-markers"));
    services = s.process();
    servicesPort = s.port();
  }

  @AfterAll
  static void stopAll() {
    if (services != null) {
      services.kill9();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @AfterEach
  void stopNodes() {
    for (ResoluteProcess n : nodes) {
      n.discard();
    }
    if (moto != null) {
      moto.kill9();
    }
  }

  @Test
  void aNewNodeRestoresFromADirectory() throws Exception {
    Path repo = Files.createTempDirectory("snapshot-repo");
    run("snapdir-log", List.of("destination = \"file://" + repo + "\""));
    try (var s = Files.walk(repo)) {
      assertThat(s.filter(p -> p.getFileName().toString().equals("manifest.json")).count())
          .as("num-retained = 2")
          .isBetween(1L, 2L);
    }
  }

  @Test
  void aNewNodeRestoresFromS3() throws Exception {
    Path motoServer = motoServer();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempDirectory("moto").resolve("moto.log");
    moto =
        ChildProcess.start(
            List.of(motoServer.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)),
            Map.of(),
            log);
    String endpoint = "http://127.0.0.1:" + port;
    Wait.until(
        "moto serves",
        Duration.ofSeconds(30),
        () -> {
          try {
            return http("PUT", endpoint + "/snapshots-bucket").statusCode() == 200;
          } catch (IOException e) {
            return false;
          }
        });
    run(
        "snaps3-log",
        List.of(
            "destination = \"s3://snapshots-bucket/cluster-a\"",
            "aws-region = \"us-east-1\"",
            "aws-access-key-id = \"test\"",
            "aws-secret-access-key = \"test\"",
            "aws-endpoint-url = \"" + endpoint + "\"",
            "aws-allow-http = true"));
    String listing = http("GET", endpoint + "/snapshots-bucket?list-type=2").body();
    assertThat(listing).contains("cluster-a/snapshots/").contains("manifest.json");
  }

  /** {@code .peers/moto/bin/moto_server} in the working directory or its nearest parent. */
  static Path motoServer() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path m = d.resolve(".peers/moto/bin/moto_server");
      if (Files.isExecutable(m)) {
        return m;
      }
    }
    throw new IllegalStateException("moto is not in .peers: run scripts/install-peers");
  }

  /** The scenario of the class comment, on log topic {@code topic}. */
  void run(String topic, List<String> snapshotKeys) throws Exception {
    ResoluteProcess n1 = node(1, topic, snapshotKeys).start();
    HttpResponse<String> r =
        send(
            n1.adminPort(),
            "POST",
            "/deployments",
            "{\"uri\":\"http://127.0.0.1:" + servicesPort + "\"}");
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    awaitLeadsAll(n1);

    // a load of adds from 4 clients while node 1 takes snapshots and trims
    Map<String, AtomicInteger> acked = new ConcurrentHashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<?>> loops = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      int client = c;
      loops.add(
          clients.submit(
              () -> {
                for (int i = 0; i < 150; i++) {
                  String key = "k" + ((client * 150 + i) % KEYS);
                  HttpResponse<String> a =
                      send(n1.ingressPort(), "POST", "/Counter/" + key + "/add", "1");
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
    // every partition trimmed: records of the first adds are gone from the log
    Wait.until(
        "the log topic trimmed in every partition",
        Duration.ofSeconds(60),
        () -> {
          long[] start = logStart(topic);
          for (long s : start) {
            if (s == 0) {
              return false;
            }
          }
          return true;
        });
    assertThat(Files.readString(n1.log()))
        .contains("published snapshot")
        .contains("log trimmed below LSNs");
    // a tail after the last snapshot
    for (int i = 0; i < KEYS; i++) {
      String key = "k" + i;
      assertThat(send(n1.ingressPort(), "POST", "/Counter/" + key + "/add", "1").statusCode())
          .isEqualTo(200);
      acked.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    ResoluteProcess n2 = node(2, topic, snapshotKeys);
    assertThat(n2.dataDir()).doesNotExist();
    n2.start();
    assertThat(Files.readString(n2.log())).contains("the store is empty: restoring snapshot");
    Wait.until(
        "Counter registered on node 2",
        Duration.ofSeconds(30),
        () -> send(n2.ingressPort(), "GET", "/restate/health", null).body().contains("Counter"));

    // node 2 stops; the log is trimmed past everything it had applied; restarted, it is behind
    // the trim point and restores again
    n2.stop();
    long[] endAtStop = logEnd(topic);
    int round = 0;
    while (!Arrays.stream(range()).allMatch(p -> logStartUnchecked(topic)[p] > endAtStop[p])) {
      assertThat(round++).as("the log trimmed past node 2's position").isLessThan(150);
      for (int i = 0; i < KEYS; i++) {
        String key = "k" + i;
        assertThat(send(n1.ingressPort(), "POST", "/Counter/" + key + "/add", "1").statusCode())
            .isEqualTo(200);
        acked.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      }
      Thread.sleep(100);
    }
    n2.start();
    assertThat(Files.readString(n2.log()))
        .containsPattern("partition \\d+ applied up to LSN \\d+ but the log was trimmed up to LSN");
    Wait.until(
        "Counter registered on node 2",
        Duration.ofSeconds(30),
        () -> send(n2.ingressPort(), "GET", "/restate/health", null).body().contains("Counter"));
    n1.kill9();
    awaitLeadsAll(n2);
    for (Map.Entry<String, AtomicInteger> e : acked.entrySet()) {
      HttpResponse<String> g =
          send(n2.ingressPort(), "POST", "/Counter/" + e.getKey() + "/get", null);
      assertThat(g.statusCode()).as(g.body()).isEqualTo(200);
      assertThat(Long.parseLong(g.body().trim()))
          .as("counter %s on the restored node", e.getKey())
          .isEqualTo(e.getValue().get());
    }
  }

  ResoluteProcess node(int id, String topic, List<String> snapshotKeys) throws IOException {
    List<String> snapshots =
        new ArrayList<>(
            List.of(
                "[worker.snapshots]", "snapshot-interval-num-records = 40", "num-retained = 2"));
    snapshots.addAll(snapshotKeys);
    ResoluteProcess n =
        ClusterHarness.node(
            "snap-n" + id,
            "n" + id,
            id,
            PARTITIONS,
            broker.bootstrapServers(),
            List.of(
                "topic = \"" + topic + "\"",
                "replication-factor = 1",
                "min-insync-replicas = 1",
                "session-timeout = \"1500ms\""),
            snapshots);
    nodes.add(n);
    return n;
  }

  static void awaitLeadsAll(ResoluteProcess n) {
    Wait.until(
        "node leads every partition",
        Duration.ofSeconds(60),
        () -> {
          HttpResponse<String> r = send(n.adminPort(), "GET", "/cluster", null);
          if (r.statusCode() != 200) {
            return false;
          }
          JsonNode v = JSON.readTree(r.body());
          for (JsonNode p : v.get("partitions")) {
            if (!p.get("led_here").asBoolean()) {
              return false;
            }
          }
          return true;
        });
  }

  static int[] range() {
    return java.util.stream.IntStream.range(0, PARTITIONS).toArray();
  }

  static long[] logStartUnchecked(String topic) {
    try {
      return logStart(topic);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long[] logStart(String topic) throws Exception {
    return offsets(topic, OffsetSpec.earliest());
  }

  static long[] logEnd(String topic) throws Exception {
    return offsets(topic, OffsetSpec.latest());
  }

  static long[] offsets(String topic, OffsetSpec spec) throws Exception {
    Map<String, Object> props = new HashMap<>();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      ask.put(new TopicPartition(topic, p), spec);
    }
    try (Admin admin = Admin.create(props)) {
      var got = admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS);
      long[] out = new long[PARTITIONS];
      for (int p = 0; p < PARTITIONS; p++) {
        out[p] = got.get(new TopicPartition(topic, p)).offset();
      }
      return out;
    }
  }

  /** The log topic's end ({@code latest}) or start offsets, per partition. */
  static long[] offsetsOf(KafkaCluster broker, String topic, int partitions, boolean end)
      throws Exception {
    Map<String, Object> props = new HashMap<>();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      ask.put(new TopicPartition(topic, p), end ? OffsetSpec.latest() : OffsetSpec.earliest());
    }
    try (Admin admin = Admin.create(props)) {
      var got = admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS);
      long[] out = new long[partitions];
      for (int p = 0; p < partitions; p++) {
        out[p] = got.get(new TopicPartition(topic, p)).offset();
      }
      return out;
    }
  }

  static HttpResponse<String> http(String method, String url)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> send(int port, String method, String path, String body)
      throws IOException, InterruptedException {
    return ClusterHarness.send(port, method, path, body);
  }
}
