package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.log.KafkaLog;
import dev.resolute.server.log.KafkaLogOptions;
import dev.resolute.testsupport.KafkaCluster;
import dev.resolute.testsupport.Wait;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link KafkaLog} on three real KRaft brokers, replication factor 3 and {@code
 * min.insync.replicas} 2 (the cluster defaults): SIGKILL of the broker leading the most log
 * partitions under a steady append load loses no acknowledged record, duplicates none, keeps each
 * partition's order, and stalls appends for less than 10 s (issue 17). Prints the figures.
 */
class KafkaLogFailoverIT {
  static final int PARTITIONS = 4;
  static final String TOPIC = "failover-log";
  static KafkaCluster kafka;

  @BeforeAll
  static void start() {
    kafka = KafkaCluster.create("kafka-3", 3).start();
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  static KafkaLogOptions options(String node) {
    return new KafkaLogOptions(
        kafka.bootstrapServers(),
        TOPIC,
        (short) 3,
        2,
        KafkaLogOptions.DEFAULT_APPEND_TIMEOUT,
        node,
        Map.of());
  }

  @Test
  void killingTheLeadingBrokerLosesNothingAndStallsAppendsUnderTenSeconds() throws Exception {
    Map<Integer, List<String>> delivered = new ConcurrentHashMap<>();
    Map<Integer, List<String>> acknowledged = new ConcurrentHashMap<>();
    AtomicLong longestStallMs = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    long killedAt;
    try (KafkaLog log = KafkaLog.open(options("writer"), PARTITIONS)) {
      log.replay(new long[PARTITIONS], (p, lsn, v) -> {});
      for (int p = 0; p < PARTITIONS; p++) {
        delivered.put(p, java.util.Collections.synchronizedList(new ArrayList<>()));
        acknowledged.put(p, java.util.Collections.synchronizedList(new ArrayList<>()));
        log.subscribe(
            p, (pp, lsn, v) -> delivered.get(pp).add(new String(v, StandardCharsets.UTF_8)));
      }
      // one writer per partition, one append in flight each: an append's latency is the stall
      List<Thread> writers = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        int partition = p;
        Thread t =
            new Thread(
                () -> {
                  for (int i = 0; running.get(); i++) {
                    String v = partition + ":" + i;
                    long t0 = System.nanoTime();
                    try {
                      log.append(partition, v.getBytes(StandardCharsets.UTF_8))
                          .get(60, TimeUnit.SECONDS);
                      acknowledged.get(partition).add(v);
                    } catch (Exception e) {
                      failed.incrementAndGet();
                      return; // a failed append stops the log (fail-stop): nothing more to do
                    }
                    longestStallMs.accumulateAndGet(
                        (System.nanoTime() - t0) / 1_000_000, Math::max);
                  }
                },
                "writer-" + p);
        t.start();
        writers.add(t);
      }
      Thread.sleep(3000);
      int victim = leaderOfMostPartitions();
      long before = acknowledged.values().stream().mapToLong(List::size).sum();
      killedAt = System.nanoTime();
      kafka.broker(victim).kill9();
      Thread.sleep(12_000);
      running.set(false);
      for (Thread t : writers) {
        t.join(70_000);
      }
      long after = acknowledged.values().stream().mapToLong(List::size).sum();
      System.out.printf(
          "KafkaLogFailoverIT: killed broker %d (leader of the most log partitions) after %d"
              + " acknowledged appends; %d more in the %d s after; longest append %d ms; %d"
              + " failed%n",
          victim,
          before,
          after - before,
          (System.nanoTime() - killedAt) / 1_000_000_000,
          longestStallMs.get(),
          failed.get());
      assertThat(failed.get()).as("appends failed").isZero();
      assertThat(after - before).as("appends after the kill").isGreaterThan(0);
      assertThat(longestStallMs.get()).as("longest append, ms").isLessThan(10_000);
      for (int p = 0; p < PARTITIONS; p++) {
        int partition = p;
        Wait.until(
            "partition " + p + " delivers every acknowledged record",
            Duration.ofSeconds(30),
            () -> delivered.get(partition).size() >= acknowledged.get(partition).size());
        List<String> d = List.copyOf(delivered.get(p));
        List<String> a = List.copyOf(acknowledged.get(p));
        assertThat(d)
            .as("partition %d: delivered once each, in order", p)
            .startsWith(a.toArray(new String[0]));
        assertThat(d).as("no duplicates").doesNotHaveDuplicates();
      }
    }
  }

  /** The node id of the broker that leads the most partitions of the log topic. */
  static int leaderOfMostPartitions() throws Exception {
    Map<String, Object> props = new HashMap<>();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      TopicDescription d =
          admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
      Map<Integer, Integer> led = new HashMap<>();
      d.partitions().forEach(p -> led.merge(p.leader().id(), 1, Integer::sum));
      return led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
  }
}
