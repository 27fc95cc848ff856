package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.server.log.KafkaLog;
import dev.resolute.server.log.KafkaLogOptions;
import dev.resolute.server.log.LeaderFencedException;
import dev.resolute.testsupport.KafkaBroker;
import dev.resolute.testsupport.Wait;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Transactional fencing of {@link KafkaLog} on a real broker (KRaft, one node): a leader session
 * opened for a partition fences every earlier one of any log, whose later leader appends fail and
 * are never read, and whose open transaction is aborted; the fenced log still takes client appends;
 * group commit keeps the order of concurrent leader appends; replay and the tailer read across the
 * transactions' commit markers (LSN gaps).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaLeaderFencingIT {
  static final int PARTITIONS = 2;
  static KafkaBroker broker;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.create("kafka-fencing").start();
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  record Rec(int partition, long lsn, String value) {}

  static KafkaLog open(String topic, boolean transactional) {
    return KafkaLog.open(
        KafkaLogOptions.singleBroker(broker.bootstrapServers(), topic), PARTITIONS, transactional);
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<String> values(List<Rec> recs, int partition) {
    return recs.stream().filter(r -> r.partition() == partition).map(Rec::value).toList();
  }

  /** A plain log that replays from the start and tails every partition into {@code out}. */
  static KafkaLog reader(String topic, List<Rec> out) {
    KafkaLog log = open(topic, false);
    log.replay(new long[PARTITIONS], (p, lsn, v) -> out.add(new Rec(p, lsn, new String(v))));
    for (int p = 0; p < PARTITIONS; p++) {
      log.subscribe(p, (pp, lsn, v) -> out.add(new Rec(pp, lsn, new String(v))));
    }
    return log;
  }

  @Test
  void aNewLeaderSessionFencesTheOldOneWhoseLaterAppendsFailAndAreNeverRead() throws Exception {
    String topic = "fence-second";
    List<Rec> seen = new CopyOnWriteArrayList<>();
    try (KafkaLog a = open(topic, true);
        KafkaLog b = open(topic, true);
        KafkaLog r = reader(topic, seen)) {
      a.openLeaderSession(0);
      a.appendAsLeader(0, List.of(b("a1"), b("a2"))).get(30, TimeUnit.SECONDS);
      a.appendAsLeader(1, List.of(b("a-other"))).get(30, TimeUnit.SECONDS); // no session: plain

      b.openLeaderSession(0); // b takes partition 0 over
      long b1 = b.appendAsLeader(0, List.of(b("b1"))).get(30, TimeUnit.SECONDS);

      // the old leader, unaware: its leader appends to 0 fail, now and later
      CompletableFuture<Long> late = a.appendAsLeader(0, List.of(b("a-late")));
      assertThatThrownBy(() -> late.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(LeaderFencedException.class);
      assertThatThrownBy(() -> a.appendAsLeader(0, List.of(b("a-later"))).get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(LeaderFencedException.class);
      // ... while the log itself goes on: client records, and its other partitions
      assertThat(a.failure()).isNull();
      long c1 = a.append(0, b("client-via-a")).get(30, TimeUnit.SECONDS);
      a.appendAsLeader(1, List.of(b("a-other-2"))).get(30, TimeUnit.SECONDS);
      long b2 = b.appendAsLeader(0, List.of(b("b2"))).get(30, TimeUnit.SECONDS);
      assertThat(b2).isGreaterThan(b1);
      assertThat(c1).isGreaterThan(b1);

      Wait.until(
          "the reader sees b2",
          Duration.ofSeconds(30),
          () -> values(seen, 0).contains("b2") && values(seen, 1).contains("a-other-2"));
      Thread.sleep(500);
      assertThat(values(seen, 0)).containsExactly("a1", "a2", "b1", "client-via-a", "b2");
      assertThat(values(seen, 1)).containsExactly("a-other", "a-other-2");
      assertThat(r.failure()).isNull();

      // a later reader replays the same records across the commit markers
      List<Rec> replayed = new CopyOnWriteArrayList<>();
      try (KafkaLog r2 = reader(topic, replayed)) {
        assertThat(r2.failure()).isNull();
        assertThat(values(replayed, 0)).containsExactly("a1", "a2", "b1", "client-via-a", "b2");
      }
      // and a replay from an applied LSN resumes right after it, gaps or not
      List<String> after = new ArrayList<>();
      try (KafkaLog r3 = open(topic, false)) {
        r3.replay(new long[] {b1, 0}, (p, lsn, v) -> after.add(p + ":" + new String(v)));
      }
      // in LSN order per partition; the partitions interleave freely
      assertThat(after.stream().filter(v -> v.startsWith("0:")))
          .containsExactly("0:client-via-a", "0:b2");
      assertThat(after.stream().filter(v -> v.startsWith("1:")))
          .containsExactly("1:a-other", "1:a-other-2");
    }
  }

  @Test
  void theOpenTransactionOfAPausedLeaderIsAbortedWhenTheNextOneOpensItsSession() throws Exception {
    String topic = "fence-paused";
    List<Rec> seen = new CopyOnWriteArrayList<>();
    try (KafkaLog b = open(topic, true);
        KafkaLog r = reader(topic, seen)) {
      // a "paused" leader of partition 0: its records are written, its transaction not committed
      Map<String, Object> p = new HashMap<>();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-p0");
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      try (KafkaProducer<byte[], byte[]> paused = new KafkaProducer<>(p)) {
        paused.initTransactions();
        paused.beginTransaction();
        paused.send(new ProducerRecord<>(topic, 0, null, b("paused-1"))).get(30, TimeUnit.SECONDS);
        paused.flush();

        b.openLeaderSession(0);
        b.appendAsLeader(0, List.of(b("b1"))).get(30, TimeUnit.SECONDS);

        // resumed, it tries to finish: refused
        assertThatThrownBy(
                () -> {
                  paused.send(new ProducerRecord<>(topic, 0, null, b("paused-2")));
                  paused.commitTransaction();
                })
            .isInstanceOf(org.apache.kafka.common.KafkaException.class);
      }
      b.appendAsLeader(0, List.of(b("b2"))).get(30, TimeUnit.SECONDS);
      Wait.until(
          "the reader sees b2", Duration.ofSeconds(30), () -> values(seen, 0).contains("b2"));
      Thread.sleep(500);
      assertThat(values(seen, 0)).containsExactly("b1", "b2");
      assertThat(r.failure()).isNull();
    }
  }

  @Test
  void theReadTargetIsTheLastRecordNotTheCommitMarkerAfterIt() throws Exception {
    String topic = "fence-read-target";
    List<Rec> seen = new CopyOnWriteArrayList<>();
    try (KafkaLog a = open(topic, true);
        KafkaLog r = reader(topic, seen)) {
      a.openLeaderSession(1);
      long lsn = a.appendAsLeader(1, List.of(b("x"))).get(30, TimeUnit.SECONDS);
      Wait.until("the record delivered", Duration.ofSeconds(30), () -> seen.size() == 1);
      assertThat(r.endLsns(Duration.ofSeconds(30))[1])
          .as("the partition ends in the transaction's commit marker")
          .isGreaterThan(lsn);
      long t0 = System.nanoTime();
      long[] targets = r.readTargets(Duration.ofSeconds(10));
      assertThat(targets[1]).as("the record, which a store applies").isEqualTo(lsn);
      assertThat(targets[0]).isZero();
      assertThat((System.nanoTime() - t0) / 1_000_000)
          .as("no wait for the marker")
          .isLessThan(5000);
    }
  }

  @Test
  void concurrentLeaderAppendsCommitInGroupsInOrder() throws Exception {
    String topic = "fence-group";
    List<Rec> seen = new CopyOnWriteArrayList<>();
    try (KafkaLog a = open(topic, true);
        KafkaLog r = reader(topic, seen)) {
      a.openLeaderSession(1);
      List<CompletableFuture<Long>> acks = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int tt = t;
        Thread th =
            new Thread(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    String v = tt + "-" + i;
                    CompletableFuture<Long> f = a.appendAsLeader(1, List.of(b(v)));
                    synchronized (acks) {
                      acks.add(f);
                    }
                    if (i % 10 == 9) {
                      f.join(); // some appenders wait, as an attempt does between entries
                    }
                  }
                });
        threads.add(th);
        th.start();
      }
      for (Thread th : threads) {
        th.join();
      }
      List<Long> lsns = new ArrayList<>();
      for (CompletableFuture<Long> f : acks) {
        lsns.add(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(lsns).doesNotHaveDuplicates().hasSize(400);
      // fewer transactions than appends: a commit marker after each, so LSNs have gaps
      long span = lsns.stream().mapToLong(Long::longValue).max().orElseThrow();
      assertThat(span).isGreaterThan(400).isLessThan(800);
      Wait.until("400 records read", Duration.ofSeconds(30), () -> values(seen, 1).size() >= 400);
      List<String> read = values(seen, 1);
      assertThat(read).hasSize(400).doesNotHaveDuplicates();
      // each appender's records in its order
      for (int t = 0; t < 8; t++) {
        String prefix = t + "-";
        List<String> mine = read.stream().filter(v -> v.startsWith(prefix)).toList();
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          want.add(prefix + i);
        }
        assertThat(mine).containsExactlyElementsOf(want);
      }
      List<Long> readLsns = seen.stream().filter(x -> x.partition() == 1).map(Rec::lsn).toList();
      assertThat(readLsns).isSorted();
      assertThat(r.failure()).isNull();
    }
  }
}
