package dev.resolute.bench;

import dev.resolute.testsupport.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Records per second from a Kafka topic to completed object invocations: a real broker
 * (test-support {@link KafkaBroker}), one topic of {@code records} keyed records per run ({@value
 * #KEYS} keys, 4 partitions, produced before the clock starts), and per run one subscription {@code
 * kafka://bench/<topic>} → {@code Counter/add} created on the server under test; the clock runs
 * from the subscription's 201 until every key's counter equals its number of records. Runs
 * alternate ABBA between the servers, two each.
 *
 * <p>Completion is checked with the counter's exclusive {@code get}, which queues behind the key's
 * pending adds: one sweep over the keys not yet complete every {@value #SWEEP_MILLIS} ms, so the
 * checking adds at most {@value #KEYS} invocations per sweep on both servers alike.
 */
final class KafkaPhase {
  static final int KEYS = 128;
  static final int PARTITIONS = 4;
  static final long SWEEP_MILLIS = 500;

  record Run(String target, int round, long records, long millis, long serverCpuMillis) {
    double perSecond() {
      return records * 1000.0 / Math.max(1, millis);
    }
  }

  private KafkaPhase() {}

  /** Runs the phase; returns the runs in the order they ran. */
  static List<Run> run(Map<String, Target> targets, Path work, long records, long warmupRecords)
      throws Exception {
    List<Run> runs = new ArrayList<>();
    try (KafkaBroker broker = KafkaBroker.at(work.resolve("kafka")).start()) {
      List<Target> order = new ArrayList<>(targets.values());
      List<Target> abba = new ArrayList<>(order);
      List<Target> reversed = new ArrayList<>(order);
      java.util.Collections.reverse(reversed);
      abba.addAll(reversed);
      // rounds 0..abba-1 are measured; round abba+i is target i's unmeasured warm-up
      int warmRounds = warmupRecords > 0 ? order.size() : 0;
      int allRounds = abba.size() + warmRounds;
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        List<NewTopic> topics = new ArrayList<>();
        for (int r = 0; r < allRounds; r++) {
          topics.add(new NewTopic(topic(r), PARTITIONS, (short) 1));
        }
        admin.createTopics(topics).all().get();
      }
      try (KafkaProducer<String, String> p =
          new KafkaProducer<>(
              Map.of(
                  "bootstrap.servers",
                  broker.bootstrapServers(),
                  "acks",
                  "all",
                  "linger.ms",
                  "20",
                  "batch.size",
                  "262144",
                  "key.serializer",
                  StringSerializer.class.getName(),
                  "value.serializer",
                  StringSerializer.class.getName()))) {
        for (int r = 0; r < allRounds; r++) {
          long n = r < abba.size() ? records : warmupRecords;
          for (long i = 0; i < n; i++) {
            p.send(new ProducerRecord<>(topic(r), key(r, (int) (i % KEYS)), "1"));
          }
        }
        p.flush();
      }
      for (Target t : targets.values()) {
        post(
            t.adminPort,
            "/kafka-clusters",
            "{\"name\":\"bench\",\"properties\":{\"bootstrap.servers\":\""
                + broker.bootstrapServers()
                + "\"}}");
      }
      // A JVM compiles the consumer's and the subscription's code paths during its first run (on
      // this machine C2 spent about 40 % of the server's CPU in a cold 30,000-record run); each
      // target first consumes a warm-up topic of its own, as the HTTP scenarios warm up
      for (int i = 0; i < warmRounds; i++) {
        Target t = order.get(i);
        Run warm = one(t, abba.size() + i, warmupRecords);
        System.out.printf(
            Locale.ROOT,
            "kafka %s warm-up: %d records in %d ms = %.0f records/s (not counted)%n",
            t.name,
            warm.records(),
            warm.millis(),
            warm.perSecond());
      }
      for (int r = 0; r < abba.size(); r++) {
        Target t = abba.get(r);
        Run run = one(t, r, records);
        runs.add(run);
        System.out.printf(
            Locale.ROOT,
            "kafka %s round %d: %d records in %d ms = %.0f records/s (server CPU %.3f ms/record)%n",
            t.name,
            r,
            run.records(),
            run.millis(),
            run.perSecond(),
            run.serverCpuMillis() / (double) Math.max(1, run.records()));
      }
    }
    return runs;
  }

  private static Run one(Target t, int round, long records) throws Exception {
    long cpu0 = ProcStats.cpuMillis(t.pid());
    long t0 = System.nanoTime();
    post(
        t.adminPort,
        "/subscriptions",
        "{\"source\":\"kafka://bench/"
            + topic(round)
            + "\",\"sink\":\"service://Counter/add\",\"options\":{\"auto.offset.reset\":"
            + "\"earliest\"}}");
    long perKey = records / KEYS;
    Set<Integer> pending = new HashSet<>();
    for (int k = 0; k < KEYS; k++) {
      pending.add(k);
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      long deadline = System.nanoTime() + 600_000_000_000L;
      while (!pending.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              t.name + ": kafka round " + round + " not drained after 10 minutes");
        }
        Thread.sleep(SWEEP_MILLIS);
        List<Integer> keys = new ArrayList<>(pending);
        List<Future<Boolean>> done = new ArrayList<>();
        for (int k : keys) {
          long expected = perKey + (k < records % KEYS ? 1 : 0);
          done.add(pool.submit(() -> count(t.ingressPort, round, k) >= expected));
        }
        for (int i = 0; i < keys.size(); i++) {
          if (done.get(i).get()) {
            pending.remove(keys.get(i));
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    t.invocations += records;
    return new Run(t.name, round, records, millis, ProcStats.cpuMillis(t.pid()) - cpu0);
  }

  private static long count(int ingressPort, int round, int k) throws Exception {
    try (HttpConn c = new HttpConn("127.0.0.1", ingressPort, 300_000)) {
      HttpConn.Response r = c.send("POST", "/Counter/" + key(round, k) + "/get", null);
      if (r.status() != 200) {
        throw new IllegalStateException("get " + key(round, k) + " -> " + r.status());
      }
      return Long.parseLong(r.text().trim());
    }
  }

  private static void post(int adminPort, String path, String body) throws Exception {
    try (HttpConn c = new HttpConn("127.0.0.1", adminPort, 30_000)) {
      HttpConn.Response r = c.send("POST", path, body.getBytes(StandardCharsets.UTF_8));
      if (r.status() / 100 != 2) {
        throw new IllegalStateException("POST " + path + " -> " + r.status() + " " + r.text());
      }
    }
  }

  private static String topic(int round) {
    return "bench-" + round;
  }

  private static String key(int round, int k) {
    return "kafka" + round + "-" + k;
  }

  /** The report's table: each run, then each server's mean and the ratio. */
  static String table(List<Run> runs, java.util.Collection<String> targets) {
    StringBuilder b = new StringBuilder();
    b.append("\n### Kafka: topic → completed object invocations (Counter/add)\n\n");
    b.append("| server | round | records | ms | records/s | server CPU ms/record |\n");
    b.append("|---|---:|---:|---:|---:|---:|\n");
    for (Run r : runs) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %d | %.0f | %.3f |%n",
              r.target(),
              r.round(),
              r.records(),
              r.millis(),
              r.perSecond(),
              r.serverCpuMillis() / (double) Math.max(1, r.records())));
    }
    Map<String, Double> mean = new java.util.LinkedHashMap<>();
    for (String t : targets) {
      mean.put(
          t,
          runs.stream()
              .filter(r -> r.target().equals(t))
              .mapToDouble(Run::perSecond)
              .average()
              .orElse(Double.NaN));
    }
    b.append('\n');
    mean.forEach((t, v) -> b.append(String.format(Locale.ROOT, "- %s: %.0f records/s%n", t, v)));
    if (mean.containsKey("resolute") && mean.containsKey("restate")) {
      b.append(
          String.format(
              Locale.ROOT,
              "- ratio Resolute / restate-server: %.2f×%n",
              mean.get("resolute") / mean.get("restate")));
    }
    return b.toString();
  }
}
