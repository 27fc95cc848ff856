package dev.resolute.server.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of cluster mode: one Apache Kafka topic, one Kafka partition per Resolute partition,
 * replicated by Kafka. Record {@code offset} of a Kafka partition is LSN {@code offset + 1} of the
 * Resolute partition (LSN 0 = nothing applied), so LSNs are per partition, gap-free only where the
 * topic is (it is never compacted; see {@link KafkaLogOptions#ensureTopic}).
 *
 * <p><b>Durability.</b> Appends go through one idempotent producer with {@code acks=all}: an
 * append's future completes only once every in-sync replica has the record and at least {@code
 * min.insync.replicas} do, which is what "durable" means here. Group commit is the producer's
 * batching: appends made while a request is in flight leave together. {@link #appendAll} sends its
 * records in order to one partition; the idempotent producer keeps their order and never duplicates
 * them on retries.
 *
 * <p><b>Delivery.</b> Committed records are delivered by one tailing consumer that reads every
 * partition from where {@link #replay} ended. A Kafka consumer sees a record only below the
 * partition's high watermark — once every in-sync replica has it — so what is delivered is
 * committed, and every node reading the topic delivers the same records in the same order per
 * partition, whoever appended them (several nodes may append to one partition during a leader
 * change; apply fences the stale one's records by leader epoch, not the log).
 *
 * <p><b>Fail-stop.</b> Once an append failed (the producer gave up after {@code
 * delivery.timeout.ms}, or it was fenced), the log takes no more appends: later records could
 * otherwise land after a hole left by the failed one. Every later append fails at once with {@link
 * LocalLog.LogStoppedException}. Delivery of committed records goes on. {@link #restartAppends}
 * lets the log take appends again through a new producer: the cluster's membership calls it once
 * the node leads no partition any more, so what this node's leaders appended before is fenced by
 * the leader epochs the node announces when it leads again.
 *
 * <p><b>Fencing.</b> Apply fences a stale leader's records by their leader epoch in both modes.
 * With transactional fencing ({@link #open(KafkaLogOptions, int, boolean)}) the log fences them
 * too: a partition's leader appends its own records ({@link #appendAsLeader}) through a {@link
 * LeaderWriter}, a transactional producer with the partition's transactional id, opened by {@link
 * #openLeaderSession} before the leader announces itself; opening it fences the previous leader's,
 * so a paused old leader can never append after a new one took over (its open transaction is
 * aborted, its later appends fail with {@link LeaderFencedException}). Records that are not a
 * leader's own (what clients ask for, outbox messages shipped to another partition; epoch 0, see
 * {@code Appender.forClients}) go through the node's idempotent producer in both modes: any node
 * may append them to any partition, each is deduplicated by its own ids, and fencing them would
 * lose a client's request. A leader record of a partition this node never opened a session for
 * carries epoch 0 too and takes the same path. Transactions leave their commit markers in the
 * partition, so LSNs have gaps there; nothing assumes they do not.
 */
public final class KafkaLog implements Log {
  /** An append refused because a record is over {@link #MAX_RECORD_BYTES}; the log goes on. */
  public static final class RecordTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    RecordTooLargeException(String message) {
      super(message);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(KafkaLog.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /**
   * The largest record the log takes: above the largest request body the ingress accepts (32 MiB)
   * and a deployment's largest protocol message ({@code worker.invoker.message-size-limit}, 32 MiB
   * by default) with the envelope around them. The topic's {@code max.message.bytes} and the
   * producer's limits are set to hold it (Kafka's defaults are 1 MiB); a larger record is refused
   * alone, before it is sent, and does not stop the log.
   */
  public static final int MAX_RECORD_BYTES =
      dev.resolute.server.config.ClusterConfig.MAX_LOG_RECORD_BYTES;

  /** Room for the batch and record headers around {@link #MAX_RECORD_BYTES}. */
  private static final int MAX_BATCH_BYTES = MAX_RECORD_BYTES + 64 * 1024;

  private final KafkaLogOptions options;
  private final int partitions;

  /** The producer appends go through now; replaced by {@link #restartAppends}. */
  private volatile Appending appending;

  private final RecordConsumer[] consumers;
  private final List<TopicPartition> topicPartitions = new ArrayList<>();

  /** Where the tailer starts: the end of {@link #replay} (offsets), per partition. */
  private final long[] tailFrom;

  /** Transactional fencing: leader appends go through {@link #writers}. */
  private final boolean transactional;

  /** Per partition, the leader writer of this node's latest session (transactional fencing). */
  private final LeaderWriter[] writers;

  private volatile boolean closed;

  /** Why committed records are no longer delivered (the tailer fell behind a trim), or null. */
  private volatile IllegalStateException deliveryFailure;

  private volatile KafkaConsumer<byte[], byte[]> tailConsumer;
  private volatile int tailRestarts;

  /** Asks the brokers for the partitions' ends ({@link #endLsns}); created on first use. */
  private KafkaConsumer<byte[], byte[]> endsConsumer;

  /**
   * Per partition, the tailer's position after its latest poll: every offset below it was read,
   * transaction markers included (see {@link #readTargets}).
   */
  private final AtomicLongArray tailPosition;

  /** Per partition, the LSN of the last record the tailer delivered (0: none yet). */
  private final AtomicLongArray lastDelivered;

  private Thread tailer;

  private KafkaLog(KafkaLogOptions options, int partitions, boolean transactional) {
    this.options = options;
    this.partitions = partitions;
    this.transactional = transactional;
    this.writers = new LeaderWriter[partitions];
    this.consumers = new RecordConsumer[partitions];
    this.tailFrom = new long[partitions];
    this.tailPosition = new AtomicLongArray(partitions);
    this.lastDelivered = new AtomicLongArray(partitions);
    for (int p = 0; p < partitions; p++) {
      topicPartitions.add(new TopicPartition(options.topic(), p));
    }
    this.appending = new Appending(new KafkaProducer<>(producerProperties(options)));
  }

  /**
   * One producer and whether an append through it failed: a failure stops this producer's appends
   * only, so a late callback of a producer already replaced cannot stop its successor.
   */
  private static final class Appending {
    final KafkaProducer<byte[], byte[]> producer;
    volatile LocalLog.LogStoppedException failure;

    Appending(KafkaProducer<byte[], byte[]> producer) {
      this.producer = producer;
    }

    synchronized void stop(Throwable cause) {
      if (failure == null) {
        LOG.error("log stopped for appends: a record could not be appended to Kafka", cause);
        failure =
            new LocalLog.LogStoppedException(
                "the log stopped taking appends after a failed append to Kafka: " + cause, cause);
      }
    }
  }

  /**
   * Opens the log on {@code options.topic()}, creating the topic with {@code partitions}
   * partitions, the configured replication factor and {@code min.insync.replicas} if it does not
   * exist; an existing topic must have exactly {@code partitions} partitions.
   */
  public static KafkaLog open(KafkaLogOptions options, int partitions) {
    return open(options, partitions, false);
  }

  /**
   * As {@link #open(KafkaLogOptions, int)}; {@code transactionalFencing} makes every partition's
   * leader append through a transactional producer that fences the earlier leaders' (see the class
   * comment).
   */
  public static KafkaLog open(
      KafkaLogOptions options, int partitions, boolean transactionalFencing) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    ensureTopic(options, partitions);
    return new KafkaLog(options, partitions, transactionalFencing);
  }

  /** Whether leaders append through fencing transactional producers. */
  public boolean transactionalFencing() {
    return transactional;
  }

  @Override
  public void openLeaderSession(int partition) {
    if (!transactional) {
      return;
    }
    checkPartition(partition);
    LeaderWriter old;
    synchronized (this) {
      if (closed) {
        return;
      }
      old = writers[partition];
      Appending a = appending;
      writers[partition] =
          new LeaderWriter(producerProperties(options), options.topic(), partition, a::stop);
    }
    if (old != null) {
      old.close(Duration.ZERO); // fenced by the new one anyway; nothing it holds may commit now
    }
  }

  @Override
  public CompletableFuture<Long> appendAsLeader(int partition, List<byte[]> payloads) {
    LeaderWriter w =
        transactional && partition >= 0 && partition < partitions ? writers[partition] : null;
    if (w == null) {
      return appendAll(partition, payloads);
    }
    CompletableFuture<Long> refused = refuse(partition, payloads);
    if (refused != null) {
      return refused;
    }
    return w.append(List.copyOf(payloads));
  }

  private void checkPartition(int partition) {
    if (partition < 0 || partition >= partitions) {
      throw new IllegalArgumentException("no partition " + partition + " (0.." + partitions + ")");
    }
  }

  /** An admin client of the log's Kafka cluster, with the options' client properties. */
  private static Admin admin(KafkaLogOptions options) {
    Map<String, Object> props = new HashMap<>(options.clientProperties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
    return Admin.create(props);
  }

  static void ensureTopic(KafkaLogOptions options, int partitions) {
    try (Admin admin = admin(options)) {
      Optional<TopicDescription> existing = describe(admin, options.topic());
      if (existing.isEmpty()) {
        NewTopic t =
            new NewTopic(options.topic(), partitions, options.replicationFactor())
                .configs(
                    Map.of(
                        "min.insync.replicas", Integer.toString(options.minInsyncReplicas()),
                        "cleanup.policy", "delete",
                        "retention.ms", "-1",
                        "retention.bytes", "-1",
                        "unclean.leader.election.enable", "false",
                        "max.message.bytes", Integer.toString(MAX_BATCH_BYTES)));
        try {
          admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
          LOG.info(
              "created log topic {}: {} partitions, replication factor {}, min.insync.replicas {}",
              options.topic(),
              partitions,
              options.replicationFactor(),
              options.minInsyncReplicas());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create the log topic " + options.topic() + ": " + e.getCause(), e);
          }
        }
        // a topic just created (by this node or by another one at the same moment) may take a
        // while to show in the metadata of the broker this admin client asks: wait for it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        existing = describe(admin, options.topic());
        while ((existing.isEmpty() || existing.get().partitions().isEmpty())
            && System.nanoTime() < deadline) {
          Thread.sleep(100);
          existing = describe(admin, options.topic());
        }
      }
      int found = existing.map(d -> d.partitions().size()).orElse(-1);
      if (found != partitions) {
        throw new IllegalStateException(
            "the log topic "
                + options.topic()
                + " has "
                + found
                + " partitions, the node is configured for "
                + partitions);
      }
      raiseMaxMessageBytes(admin, options.topic());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening the log topic", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + options.bootstrapServers() + " did not answer within 30s", e);
    }
  }

  /**
   * A topic created before records of {@link #MAX_RECORD_BYTES} were allowed (or by hand) keeps
   * Kafka's 1 MiB {@code max.message.bytes}, and a larger record would stop the log: raise it.
   */
  private static void raiseMaxMessageBytes(Admin admin, String topic)
      throws InterruptedException, TimeoutException {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      Config config = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
      ConfigEntry e = config == null ? null : config.get("max.message.bytes");
      long now = e == null || e.value() == null ? 0 : Long.parseLong(e.value());
      if (now >= MAX_BATCH_BYTES) {
        return;
      }
      admin
          .incrementalAlterConfigs(
              Map.of(
                  r,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("max.message.bytes", Integer.toString(MAX_BATCH_BYTES)),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
      LOG.info(
          "raised max.message.bytes of the log topic {} from {} to {}",
          topic,
          now,
          MAX_BATCH_BYTES);
    } catch (ExecutionException | NumberFormatException e) {
      // not fatal: records up to the topic's own limit still go through
      LOG.warn(
          "cannot raise max.message.bytes of the log topic {} to {}: {}",
          topic,
          MAX_BATCH_BYTES,
          e.getCause() != null ? e.getCause().toString() : e.toString());
    }
  }

  private static Optional<TopicDescription> describe(Admin admin, String topic)
      throws InterruptedException, TimeoutException {
    try {
      Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      if (!names.contains(topic)) {
        return Optional.empty();
      }
      return Optional.of(
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(topic));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        // listed by one broker, not known yet to the one asked: a topic just created
        return Optional.empty();
      }
      throw new IllegalStateException("cannot describe the log topic " + topic, e.getCause());
    }
  }

  private static Map<String, Object> producerProperties(KafkaLogOptions o) {
    Map<String, Object> p = new HashMap<>(o.clientProperties());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) o.appendTimeout().toMillis());
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, o.appendTimeout().toMillis());
    p.put(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        (int) Math.min(30_000, o.appendTimeout().toMillis()));
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_BATCH_BYTES);
    // the buffer is allocated as records wait, not up front: room for two of the largest
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * MAX_BATCH_BYTES);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "resolute-log-" + o.nodeName());
    return p;
  }

  private static Map<String, Object> consumerProperties(KafkaLogOptions o, String purpose) {
    Map<String, Object> p = new HashMap<>(o.clientProperties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // every position is sought explicitly; one below the log's start (trimmed meanwhile) must
    // fail, never skip to the end
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "resolute-log-" + purpose + "-" + o.nodeName());
    return p;
  }

  @Override
  public CompletableFuture<Long> append(int partition, byte[] payload) {
    return appendAll(partition, List.of(payload));
  }

  @Override
  public CompletableFuture<Long> appendAll(int partition, List<byte[]> payloads) {
    CompletableFuture<Long> refused = refuse(partition, payloads);
    if (refused != null) {
      return refused;
    }
    CompletableFuture<Long> f = new CompletableFuture<>();
    Appending a = appending;
    int n = payloads.size();
    for (int i = 0; i < n; i++) {
      boolean last = i == n - 1;
      try {
        a.producer.send(
            new ProducerRecord<>(options.topic(), partition, null, payloads.get(i)),
            (meta, err) -> {
              if (err != null) {
                a.stop(err);
                f.completeExceptionally(a.failure);
              } else if (last) {
                f.complete(meta.offset() + 1);
              }
            });
      } catch (RuntimeException e) {
        // the producer refused before sending (closed, fenced, a record over max.request.size)
        a.stop(e);
        f.completeExceptionally(a.failure);
        return f;
      }
    }
    return f;
  }

  /**
   * The answer to an append that is not sent: a bad partition, a stopped or closed log, nothing to
   * append, a record over the limit; null if it may be sent.
   */
  private CompletableFuture<Long> refuse(int partition, List<byte[]> payloads) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    if (partition < 0 || partition >= partitions) {
      f.completeExceptionally(
          new IllegalArgumentException("no partition " + partition + " (0.." + partitions + ")"));
      return f;
    }
    LocalLog.LogStoppedException stopped = appending.failure;
    if (stopped != null) {
      f.completeExceptionally(stopped);
      return f;
    }
    if (closed) {
      f.completeExceptionally(new IllegalStateException("log is closed"));
      return f;
    }
    if (payloads.isEmpty()) {
      f.complete(0L);
      return f;
    }
    for (byte[] payload : payloads) {
      if (payload.length > MAX_RECORD_BYTES) {
        // refused before anything is sent: no hole, so the log goes on
        f.completeExceptionally(
            new RecordTooLargeException(
                "a log record of "
                    + payload.length
                    + " bytes is larger than the log's limit of "
                    + MAX_RECORD_BYTES
                    + " bytes"));
        return f;
      }
    }
    return null;
  }

  /** Why the log stopped taking appends, or null while it works. */
  public LocalLog.LogStoppedException failure() {
    return appending.failure;
  }

  /**
   * Why committed records are no longer delivered to this node, or null while they are: the tailer
   * fell behind the log's trim point (records it had not read yet were deleted). Such a node cannot
   * catch up by itself; restarted, it restores the latest snapshot (see {@code SnapshotRestore}).
   */
  public IllegalStateException deliveryFailure() {
    return deliveryFailure;
  }

  /**
   * Per partition, the LSN the log starts after: records up to it were trimmed (Kafka's log start
   * offset is the first offset kept, LSN offset + 1, so this is that offset). 0: nothing trimmed.
   */
  public long[] startLsns() {
    return startLsns(options, partitions);
  }

  /** As {@link #startLsns()}, without opening a log (a node deciding whether to restore). */
  public static long[] startLsns(KafkaLogOptions options, int partitions) {
    Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> ask = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      ask.put(
          new TopicPartition(options.topic(), p),
          org.apache.kafka.clients.admin.OffsetSpec.earliest());
    }
    try (Admin admin = admin(options)) {
      var got = admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS);
      long[] out = new long[partitions];
      for (int p = 0; p < partitions; p++) {
        out[p] = got.get(new TopicPartition(options.topic(), p)).offset();
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the log's start", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot read the start of the log topic " + options.topic() + ": " + e, e);
    }
  }

  /**
   * Deletes every record of partition {@code p} below LSN {@code lsns[p]} + 1 (Kafka's {@code
   * deleteRecords} before offset {@code lsns[p]}), for each partition where that is above the log's
   * start; the caller guarantees a durable snapshot covers them. Returns the new start LSNs.
   */
  public long[] trimTo(long[] lsns) {
    if (lsns.length != partitions) {
      throw new IllegalArgumentException("trim points for " + lsns.length + " partitions");
    }
    long[] start = startLsns();
    Map<TopicPartition, org.apache.kafka.clients.admin.RecordsToDelete> del = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      if (lsns[p] > start[p]) {
        del.put(
            topicPartitions.get(p),
            org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(lsns[p]));
      }
    }
    if (del.isEmpty()) {
      return start;
    }
    try (Admin admin = admin(options)) {
      var result = admin.deleteRecords(del).lowWatermarks();
      for (var e : result.entrySet()) {
        start[e.getKey().partition()] = e.getValue().get(30, TimeUnit.SECONDS).lowWatermark();
      }
      return start;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trimming the log", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot trim the log topic " + options.topic() + ": " + e, e);
    }
  }

  /**
   * After a failed append: closes the failed producer at once (what it had not sent is dropped; its
   * appends have failed already) and takes appends again through a new one. The caller makes sure
   * nothing that trusted the failed appends goes on: in a cluster, the node's leaders have stepped
   * down, and the epochs they announce when they lead again fence any record of the old producer
   * that still lands. Returns false if the log had not stopped or is closed.
   */
  public synchronized boolean restartAppends() {
    Appending old = appending;
    if (old.failure == null || closed) {
      return false;
    }
    try {
      old.producer.close(Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.warn("closing the failed producer failed", e);
    }
    closeWriters(Duration.ZERO);
    appending = new Appending(new KafkaProducer<>(producerProperties(options)));
    LOG.info(
        "the log takes appends again through a new producer after: {}", old.failure.getMessage());
    return true;
  }

  /**
   * Closes every leader writer: a leader appends again only after its next {@link
   * #openLeaderSession}; until then its leader appends fail.
   */
  private void closeWriters(Duration timeout) {
    List<LeaderWriter> open = new ArrayList<>();
    synchronized (this) {
      for (LeaderWriter w : writers) {
        if (w != null) {
          open.add(w);
        }
      }
    }
    for (LeaderWriter w : open) {
      w.close(timeout);
    }
  }

  @Override
  public void replay(long[] appliedLsn, RecordConsumer consumer) {
    if (appliedLsn.length != partitions) {
      throw new IllegalArgumentException(
          "applied LSNs for " + appliedLsn.length + " partitions, the log has " + partitions);
    }
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(consumerProperties(options, "replay"))) {
      c.assign(topicPartitions);
      Map<TopicPartition, Long> begin = c.beginningOffsets(topicPartitions);
      Map<TopicPartition, Long> end = c.endOffsets(topicPartitions);
      List<TopicPartition> open = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        TopicPartition tp = topicPartitions.get(p);
        long from = appliedLsn[p]; // the offset of LSN applied + 1
        long first = begin.get(tp);
        if (from < first) {
          throw new IllegalStateException(
              "partition "
                  + p
                  + " applied up to LSN "
                  + appliedLsn[p]
                  + " but the log starts at LSN "
                  + (first + 1)
                  + ": records it needs were trimmed; with worker.snapshots.destination"
                  + " configured the node restores the latest snapshot at start instead");
        }
        long to = end.get(tp);
        tailFrom[p] = Math.max(from, to);
        if (from < to) {
          open.add(tp);
        }
      }
      c.assign(open);
      for (TopicPartition tp : open) {
        c.seek(tp, appliedLsn[tp.partition()]);
      }
      while (!open.isEmpty()) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
          long to = end.get(new TopicPartition(r.topic(), r.partition()));
          if (r.offset() < to) {
            consumer.accept(r.partition(), r.offset() + 1, r.value());
          }
        }
        List<TopicPartition> still = new ArrayList<>();
        for (TopicPartition tp : open) {
          if (c.position(tp) < end.get(tp)) {
            still.add(tp);
          }
        }
        if (still.size() != open.size()) {
          open = still;
          c.assign(open); // positions of the partitions kept stay as they are
        }
      }
    }
  }

  /**
   * Delivers the records of {@code partition} with LSNs in {@code (after, upTo]} in order, read by
   * a consumer of its own (a cold follower catching up, see {@code
   * PartitionProcessor.coldFollower}): the tailer is not touched. Throws when records in that range
   * were trimmed.
   */
  public void read(int partition, long after, long upTo, RecordConsumer consumer) {
    if (upTo <= after) {
      return;
    }
    TopicPartition tp = topicPartitions.get(partition);
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(consumerProperties(options, "catch-up"))) {
      c.assign(List.of(tp));
      long first = c.beginningOffsets(List.of(tp)).get(tp);
      if (after < first) {
        throw new IllegalStateException(
            "partition "
                + partition
                + ": records after LSN "
                + after
                + " were trimmed (the log starts at LSN "
                + (first + 1)
                + ")");
      }
      c.seek(tp, after); // the offset of LSN after + 1
      while (c.position(tp) < upTo) {
        if (closed) {
          throw new IllegalStateException("the log is closed");
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
          if (r.offset() < upTo) {
            consumer.accept(partition, r.offset() + 1, r.value());
          }
        }
      }
    }
  }

  /**
   * Each partition's end as the brokers know it now: the LSN of its last committed record (0 for an
   * empty partition). Every record acknowledged before the call is at or below it.
   */
  public long[] endLsns(Duration timeout) {
    synchronized (topicPartitions) {
      if (closed) {
        throw new IllegalStateException("the log is closed");
      }
      if (endsConsumer == null) {
        endsConsumer = new KafkaConsumer<>(consumerProperties(options, "ends"));
      }
      Map<TopicPartition, Long> end = endsConsumer.endOffsets(topicPartitions, timeout);
      long[] out = new long[partitions];
      for (int p = 0; p < partitions; p++) {
        out[p] = end.get(topicPartitions.get(p)); // offset of the next record = LSN of the last
      }
      return out;
    }
  }

  /**
   * What a node must have applied to see every record committed before the call (SQL's read
   * barrier): per partition, the LSN of the last record the tailer delivered once it has read up to
   * the partition's end ({@link #endLsns}). Not the end itself: with transactional fencing a
   * partition may end in a commit marker, which takes an offset but is never delivered or applied.
   * Waits at most {@code timeout} for the tailer; past it, an {@link IllegalStateException}.
   */
  public long[] readTargets(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long[] end = endLsns(timeout);
    long[] out = new long[partitions];
    for (int p = 0; p < partitions; p++) {
      while (tailPosition.get(p) < end[p]) {
        if (System.nanoTime() >= deadline || closed) {
          throw new IllegalStateException(
              "the log tailer has not read partition " + p + " up to its end " + end[p]);
        }
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the log tailer", e);
        }
      }
      out[p] = lastDelivered.get(p);
    }
    return out;
  }

  @Override
  public synchronized void subscribe(int partition, RecordConsumer consumer) {
    consumers[partition] = consumer;
    if (tailer == null && !closed) {
      tailConsumer = newTailConsumer(tailFrom);
      tailer = new Thread(this::tail, "log-tailer");
      tailer.setDaemon(true);
      tailer.start();
    }
  }

  /**
   * A tail consumer of every partition at {@code from} (offsets); the tailer's positions start
   * there (what lies below was delivered: by replay, before the tail, or by an earlier consumer).
   */
  private KafkaConsumer<byte[], byte[]> newTailConsumer(long[] from) {
    KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties(options, "tail"));
    c.assign(topicPartitions);
    for (int p = 0; p < partitions; p++) {
      c.seek(topicPartitions.get(p), from[p]);
      tailPosition.set(p, from[p]);
    }
    return c;
  }

  /**
   * Delivers committed records until the log closes. A failure of the consumer (or of a consumer of
   * records) does not end delivery: the tailer closes its consumer, waits a second and goes on with
   * a new one from the record after the last one it delivered, so no record is lost or delivered
   * twice to a partition's consumer.
   */
  private void tail() {
    long[] next = tailFrom.clone(); // the offset to deliver next, per partition
    KafkaConsumer<byte[], byte[]> c = tailConsumer;
    while (!closed) {
      try {
        while (!closed) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
            int p = r.partition();
            if (r.offset() < next[p]) {
              continue; // delivered before the restart
            }
            RecordConsumer rc = consumers[p];
            if (rc != null) {
              rc.accept(p, r.offset() + 1, r.value());
            }
            next[p] = r.offset() + 1;
            lastDelivered.set(p, r.offset() + 1);
          }
          for (int p = 0; p < partitions; p++) {
            tailPosition.set(p, c.position(topicPartitions.get(p)));
          }
        }
      } catch (WakeupException e) {
        if (!closed) {
          LOG.error("log tailer woken up while the log is open", e);
        }
      } catch (org.apache.kafka.clients.consumer.OffsetOutOfRangeException e) {
        // records this node has not applied are gone: a new consumer would fail the same way
        deliveryFailure =
            new IllegalStateException(
                "this node fell behind the log's trim point ("
                    + e.offsetOutOfRangePartitions()
                    + "): it applies no more records; restart it to restore the latest snapshot",
                e);
        LOG.error(deliveryFailure.getMessage());
        c.close();
        return;
      } catch (RuntimeException e) {
        LOG.error("log tailer failed; it goes on with a new consumer in 1s", e);
      }
      c = restartTail(c, next);
      if (c == null) {
        return;
      }
    }
    c.close();
  }

  /**
   * Closes {@code failed}; after a second, a new tail consumer at {@code next}, or null if closed.
   */
  private KafkaConsumer<byte[], byte[]> restartTail(
      KafkaConsumer<byte[], byte[]> failed, long[] next) {
    try {
      failed.close();
    } catch (RuntimeException e) {
      LOG.warn("closing the failed tail consumer failed", e);
    }
    while (!closed) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      synchronized (this) {
        if (closed) {
          return null;
        }
        try {
          KafkaConsumer<byte[], byte[]> c = newTailConsumer(next);
          tailConsumer = c;
          tailRestarts++;
          return c;
        } catch (RuntimeException e) {
          LOG.error("cannot start a new tail consumer; trying again in 1s", e);
        }
      }
    }
    return null;
  }

  /** How often the tailer went on with a new consumer after a failure (tests). */
  public int tailRestarts() {
    return tailRestarts;
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      t = tailer;
    }
    closeWriters(Duration.ofSeconds(10));
    appending.producer.close(Duration.ofSeconds(10));
    synchronized (topicPartitions) {
      if (endsConsumer != null) {
        endsConsumer.close();
      }
    }
    if (t != null) {
      tailConsumer.wakeup();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
