package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.server.log.KafkaLog;
import dev.resolute.server.log.KafkaLogOptions;
import dev.resolute.testsupport.KafkaBroker;
import dev.resolute.testsupport.Wait;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link KafkaLog} on a real Apache Kafka broker (KRaft, one node): appends are acknowledged with
 * per-partition LSNs, committed records are delivered in order to every reader of the topic —
 * whichever log appended them — replay starts right after the applied LSNs, the topic is checked,
 * and a log whose append failed stops taking appends while nothing acknowledged is lost across a
 * broker SIGKILL.
 */
class KafkaLogIT {
  static final int PARTITIONS = 4;
  static KafkaBroker broker;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.create("kafka-log").start();
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  record Rec(int partition, long lsn, String value) {}

  static KafkaLogOptions options(String topic) {
    return KafkaLogOptions.singleBroker(broker.bootstrapServers(), topic);
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Opens a log, replays from {@code applied}, subscribes every partition into {@code out}. */
  static KafkaLog reader(String topic, long[] applied, List<Rec> replayed, List<Rec> out) {
    KafkaLog log = KafkaLog.open(options(topic), PARTITIONS);
    log.replay(applied, (p, lsn, v) -> replayed.add(new Rec(p, lsn, new String(v))));
    for (int p = 0; p < PARTITIONS; p++) {
      log.subscribe(p, (pp, lsn, v) -> out.add(new Rec(pp, lsn, new String(v))));
    }
    return log;
  }

  @Test
  void appendsAreDeliveredInOrderToEveryReaderAndReplayResumesAfterTheAppliedLsn()
      throws Exception {
    String topic = "log-order";
    List<Rec> seenA = new CopyOnWriteArrayList<>();
    List<Rec> seenB = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Long>> acks = new ArrayList<>();
    try (KafkaLog a = reader(topic, new long[PARTITIONS], new ArrayList<>(), seenA);
        KafkaLog b = reader(topic, new long[PARTITIONS], new ArrayList<>(), seenB)) {
      // two writers on the same partitions (a leader change in flight): both readers see one order
      for (int i = 0; i < 300; i++) {
        int p = i % PARTITIONS;
        acks.add((i % 2 == 0 ? a : b).append(p, b("r" + i)));
        if (i % 50 == 0) {
          acks.add(
              a.appendAll(p, List.of(b("g" + i + ".0"), b("g" + i + ".1"), b("g" + i + ".2"))));
        }
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      int total = 300 + 6 * 3;
      Wait.until(
          "both readers got every record", Duration.ofSeconds(30), () -> seenA.size() == total);
      Wait.until("reader b got every record", Duration.ofSeconds(30), () -> seenB.size() == total);
    }
    for (int p = 0; p < PARTITIONS; p++) {
      int part = p;
      // per partition one order for every reader (across partitions the interleaving may differ)
      assertThat(seenB.stream().filter(r -> r.partition() == part).toList())
          .containsExactlyElementsOf(seenA.stream().filter(r -> r.partition() == part).toList());
      List<Long> lsns = seenA.stream().filter(r -> r.partition() == part).map(Rec::lsn).toList();
      List<Long> expected = new ArrayList<>();
      for (long l = 1; l <= lsns.size(); l++) {
        expected.add(l);
      }
      assertThat(lsns).as("partition %d LSNs", p).containsExactlyElementsOf(expected);
    }
    // a group stays contiguous and in order within its partition
    for (int i = 0; i < 300; i += 50) {
      String g = "g" + i + ".";
      int part = i % PARTITIONS;
      List<String> vals =
          seenA.stream().filter(r -> r.partition() == part).map(Rec::value).toList();
      int at = vals.indexOf(g + "0");
      assertThat(vals.subList(at, at + 3)).containsExactly(g + "0", g + "1", g + "2");
    }
    // the LSN an append was acknowledged with is where its record is
    long ackOfFirst = acks.get(0).get();
    assertThat(seenA).contains(new Rec(0, ackOfFirst, "r0"));

    // replay after a restart: applied LSN 10 on partition 0, everything on 1, nothing on 2 and 3
    long[] applied = new long[PARTITIONS];
    applied[0] = 10;
    applied[1] = seenA.stream().filter(r -> r.partition() == 1).count();
    List<Rec> replayed = new ArrayList<>();
    List<Rec> live = new CopyOnWriteArrayList<>();
    try (KafkaLog c = reader(topic, applied, replayed, live)) {
      List<Rec> expected = new ArrayList<>();
      for (Rec r : seenA) {
        if (r.lsn() > applied[r.partition()]) {
          expected.add(r);
        }
      }
      assertThat(replayed).containsExactlyInAnyOrderElementsOf(expected);
      for (int p = 0; p < PARTITIONS; p++) {
        int part = p;
        List<Rec> ofP = replayed.stream().filter(r -> r.partition() == part).toList();
        assertThat(ofP).isSortedAccordingTo((x, y) -> Long.compare(x.lsn(), y.lsn()));
      }
      // the tail goes on from the end of the replay: a new record only, nothing twice
      long lsn = c.append(2, b("after")).get(30, TimeUnit.SECONDS);
      Wait.until("the new record delivered", Duration.ofSeconds(30), () -> live.size() == 1);
      assertThat(live).containsExactly(new Rec(2, lsn, "after"));
    }
  }

  @Test
  void recordsOfMegabytesAreTakenAndOneOverTheLimitIsRefusedAloneWithoutStoppingTheLog()
      throws Exception {
    String topic = "log-large";
    byte[] big = new byte[5 * 1024 * 1024]; // Kafka's own defaults take 1 MiB
    java.util.Arrays.fill(big, (byte) 'x');
    List<Rec> seen = new CopyOnWriteArrayList<>();
    try (KafkaLog log = reader(topic, new long[PARTITIONS], new ArrayList<>(), seen)) {
      assertThat(log.append(2, big).get(60, TimeUnit.SECONDS)).isEqualTo(1);
      byte[] tooBig = new byte[KafkaLog.MAX_RECORD_BYTES + 1];
      assertThatThrownBy(() -> log.append(2, tooBig).get(60, TimeUnit.SECONDS))
          .hasCauseInstanceOf(KafkaLog.RecordTooLargeException.class)
          .hasMessageContaining("larger than the log's limit");
      assertThat(log.failure()).as("a refused record does not stop the log").isNull();
      assertThat(log.append(2, b("after")).get(60, TimeUnit.SECONDS)).isEqualTo(2);
      // the ends a cluster node's read waits for (ReadBarrier): the LSN of each last record
      assertThat(log.endLsns(Duration.ofSeconds(30))).containsExactly(0, 0, 2, 0);
      Wait.until("both records delivered", Duration.ofSeconds(30), () -> seen.size() == 2);
    }
    assertThat(seen.get(0).value()).hasSize(big.length);
    assertThat(seen.get(1)).isEqualTo(new Rec(2, 2, "after"));
  }

  @Test
  void theTailerGoesOnAfterAFailureWithoutLosingOrRepeatingARecord() throws Exception {
    String topic = "log-tail-restart";
    List<Rec> seen = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger failures =
        new java.util.concurrent.atomic.AtomicInteger();
    try (KafkaLog log = KafkaLog.open(options(topic), PARTITIONS)) {
      log.replay(new long[PARTITIONS], (p, l, v) -> {});
      for (int p = 0; p < PARTITIONS; p++) {
        log.subscribe(
            p,
            (pp, lsn, v) -> {
              String value = new String(v, StandardCharsets.UTF_8);
              if (value.equals("r1-3") && failures.getAndIncrement() == 0) {
                throw new IllegalStateException("a consumer of records failed once");
              }
              seen.add(new Rec(pp, lsn, value));
            });
      }
      for (int i = 0; i < 6; i++) {
        log.append(1, b("r1-" + i)).get(30, TimeUnit.SECONDS);
        log.append(2, b("r2-" + i)).get(30, TimeUnit.SECONDS);
      }
      Wait.until("every record delivered", Duration.ofSeconds(30), () -> seen.size() == 12);
      Thread.sleep(500); // nothing delivered twice after that
      assertThat(log.tailRestarts()).isEqualTo(1);
    }
    assertThat(failures.get()).as("r1-3 offered twice: failed once, then taken").isEqualTo(2);
    assertThat(seen).hasSize(12);
    for (int part : new int[] {1, 2}) {
      assertThat(seen.stream().filter(r -> r.partition() == part).map(Rec::lsn).toList())
          .as("partition %d in order, once each", part)
          .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }
  }

  @Test
  void anExistingTopicWithKafkasDefaultMessageLimitIsRaised() throws Exception {
    String topic = "log-old-limit";
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new org.apache.kafka.clients.admin.NewTopic(topic, PARTITIONS, (short) 1)
                      .configs(Map.of("max.message.bytes", "1048588"))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    byte[] big = new byte[3 * 1024 * 1024];
    List<Rec> seen = new CopyOnWriteArrayList<>();
    try (KafkaLog log = reader(topic, new long[PARTITIONS], new ArrayList<>(), seen)) {
      assertThat(log.append(0, big).get(60, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(log.failure()).isNull();
      Wait.until("the record delivered", Duration.ofSeconds(30), () -> seen.size() == 1);
    }
  }

  @Test
  void aTopicWithAnotherPartitionCountIsRefused() {
    try (KafkaLog ignored = KafkaLog.open(options("log-count"), 2)) {
      assertThat(ignored).isNotNull();
    }
    assertThatThrownBy(() -> KafkaLog.open(options("log-count"), PARTITIONS))
        .hasMessageContaining("has 2 partitions, the node is configured for 4");
  }

  /**
   * A tailer whose next record was trimmed never skips ahead: delivery stops and says why (the node
   * restores when restarted), instead of Kafka's default reset to the end of the log.
   */
  @Test
  void aTailerBehindTheTrimPointStopsAndSaysSo() throws Exception {
    String topic = "log-tail-behind";
    java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    try (KafkaLog writer = KafkaLog.open(options(topic), PARTITIONS);
        KafkaLog reader = KafkaLog.open(options(topic), PARTITIONS)) {
      writer.replay(new long[PARTITIONS], (p, l, v) -> {});
      reader.replay(new long[PARTITIONS], (p, l, v) -> {});
      reader.subscribe(
          0,
          (p, lsn, v) -> {
            seen.add(lsn);
            first.countDown();
            try {
              release.await(60, TimeUnit.SECONDS); // the tailer stalls on its first record
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      writer.append(0, b("first")).get(30, TimeUnit.SECONDS);
      assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Long> last = null;
      for (int i = 0; i < 6000; i++) {
        last = writer.append(0, b("r" + i));
      }
      last.get(60, TimeUnit.SECONDS);
      assertThat(writer.trimTo(new long[] {5000, 0, 0, 0})[0]).isEqualTo(5000);
      release.countDown();
      Wait.until(
          "delivery stops on the trimmed records",
          Duration.ofSeconds(30),
          () -> reader.deliveryFailure() != null);
      assertThat(reader.deliveryFailure().getMessage())
          .contains("fell behind the log's trim point")
          .contains("restore the latest snapshot");
      assertThat(seen).allMatch(l -> l <= 5000).doesNotContain(6001L);
      assertThat(reader.failure()).as("appends are not stopped by it").isNull();
    }
  }

  /** The snapshotter's trim: only forward, never past what is asked, and replay after it. */
  @Test
  void trimToDeletesBelowTheGivenLsnsOnlyForward() throws Exception {
    String topic = "log-trim-to";
    try (KafkaLog log = KafkaLog.open(options(topic), PARTITIONS)) {
      log.replay(new long[PARTITIONS], (p, l, v) -> {});
      for (int i = 0; i < 6; i++) {
        log.append(0, b("x" + i)).get(30, TimeUnit.SECONDS);
        log.append(1, b("y" + i)).get(30, TimeUnit.SECONDS);
      }
      assertThat(log.startLsns()).containsExactly(0, 0, 0, 0);
      assertThat(log.trimTo(new long[] {4, 2, 0, 0})).containsExactly(4, 2, 0, 0);
      assertThat(log.startLsns()).containsExactly(4, 2, 0, 0);
      // lower trim points change nothing
      assertThat(log.trimTo(new long[] {1, 1, 0, 0})).containsExactly(4, 2, 0, 0);
      assertThat(KafkaLog.startLsns(options(topic), PARTITIONS)).containsExactly(4, 2, 0, 0);
    }
    try (KafkaLog log = KafkaLog.open(options(topic), PARTITIONS)) {
      List<Rec> replayed = new ArrayList<>();
      log.replay(new long[] {4, 2, 0, 0}, (p, l, v) -> replayed.add(new Rec(p, l, new String(v))));
      assertThat(replayed.stream().filter(r -> r.partition() == 0))
          .containsExactly(new Rec(0, 5, "x4"), new Rec(0, 6, "x5"));
      assertThat(replayed.stream().filter(r -> r.partition() == 1)).hasSize(4);
    }
  }

  @Test
  void replayRefusesWhenRecordsItNeedsAreGone() throws Exception {
    String topic = "log-trimmed";
    try (KafkaLog log = KafkaLog.open(options(topic), PARTITIONS)) {
      log.replay(new long[PARTITIONS], (p, l, v) -> {});
      for (int i = 0; i < 5; i++) {
        log.append(0, b("x" + i)).get(30, TimeUnit.SECONDS);
      }
    }
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin
          .deleteRecords(
              Map.of(
                  new org.apache.kafka.common.TopicPartition(topic, 0),
                  org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(3)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    try (KafkaLog log = KafkaLog.open(options(topic), PARTITIONS)) {
      assertThatThrownBy(() -> log.replay(new long[PARTITIONS], (p, l, v) -> {}))
          .hasMessageContaining("partition 0 applied up to LSN 0 but the log starts at LSN 4");
      List<Rec> replayed = new ArrayList<>();
      long[] applied = new long[PARTITIONS];
      applied[0] = 3;
      log.replay(applied, (p, l, v) -> replayed.add(new Rec(p, l, new String(v))));
      assertThat(replayed).containsExactly(new Rec(0, 4, "x3"), new Rec(0, 5, "x4"));
    }
  }

  @Test
  void nothingAcknowledgedIsLostAcrossABrokerKillAndAFailedAppendStopsTheLogUntilRestarted()
      throws Exception {
    String topic = "log-kill";
    List<Long> acked = Collections.synchronizedList(new ArrayList<>());
    KafkaLogOptions quick =
        new KafkaLogOptions(
            broker.bootstrapServers(),
            topic,
            (short) 1,
            1,
            Duration.ofSeconds(3),
            "kill-test",
            Map.of());
    try (KafkaLog log = KafkaLog.open(quick, PARTITIONS)) {
      log.replay(new long[PARTITIONS], (p, l, v) -> {});
      for (int i = 0; i < 200; i++) {
        acked.add(log.append(1, b("k" + i)).get(30, TimeUnit.SECONDS));
      }
      broker.kill9();
      CompletableFuture<Long> during = log.append(1, b("during"));
      assertThatThrownBy(() -> during.get(30, TimeUnit.SECONDS))
          .hasMessageContaining("stopped taking appends");
      assertThat(log.failure()).isNotNull();
      // stopped: refused at once, even once Kafka is back
      broker.restart();
      assertThatThrownBy(() -> log.append(1, b("after")).get(5, TimeUnit.SECONDS))
          .hasMessageContaining("stopped taking appends");
      // until the log is told to take appends again (what a cluster node does once it leads
      // nothing): then through a new producer
      assertThat(log.restartAppends()).isTrue();
      assertThat(log.failure()).isNull();
      assertThat(log.restartAppends()).as("a log that works is left alone").isFalse();
      long again = -1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (again < 0) {
        try {
          again = log.append(1, b("again")).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          // the broker just restarted may not answer within the 3 s append timeout yet
          assertThat(System.nanoTime()).as("appends again within 60 s").isLessThan(deadline);
          assertThat(log.restartAppends()).isTrue();
        }
      }
      assertThat(again).isGreaterThan(200);
      acked.add(again);
    }
    List<Rec> replayed = new ArrayList<>();
    try (KafkaLog log = KafkaLog.open(options(topic), PARTITIONS)) {
      log.replay(new long[PARTITIONS], (p, l, v) -> replayed.add(new Rec(p, l, new String(v))));
      long lsn = log.append(1, b("restarted")).get(30, TimeUnit.SECONDS);
      assertThat(lsn).isGreaterThan(200);
    }
    List<Long> lsns = replayed.stream().map(Rec::lsn).toList();
    assertThat(lsns).containsAll(acked);
    for (int i = 0; i < 200; i++) {
      assertThat(replayed.get(i)).isEqualTo(new Rec(1, i + 1, "k" + i));
    }
  }
}
