package dev.resolute.server.kafka;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.id.DeterministicIds;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.protocol.id.Ulid;
import dev.resolute.server.limits.DeclaredRates;
import dev.resolute.server.limits.RulePattern;
import dev.resolute.server.partition.Appender;
import dev.resolute.server.partition.Partitioning;
import dev.resolute.server.partition.Targets;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.Header;
import dev.resolute.server.pb.Invoke;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.HandlerType;
import dev.resolute.server.schema.Schemas;
import dev.resolute.server.schema.ServiceSchema;
import dev.resolute.server.schema.ServiceType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka subscriptions: one {@link SubscriptionConsumer} per subscription whose cluster exists,
 * started and stopped as {@link KafkaMetadata} changes, each record turned into an invocation of
 * the sink handler and appended to the log of the partition that owns it.
 *
 * <p>What an invocation gets is restate-server 1.7.12's: the record value as the body; for a
 * virtual object or workflow the record key (UTF-8; empty when null) as the key; headers {@code
 * kafka.offset}, {@code kafka.topic}, {@code kafka.partition}, {@code kafka.timestamp}, {@code
 * restate.subscription.id} and, when the record has a key, {@code kafka.key} (URL-safe base64). The
 * record's own Kafka headers are not passed on.
 *
 * <p>Exactly once into the log: each record's envelope names its producer (subscription, consumer
 * group, topic, partition) and carries offset + 1 as sequence number; the partition that applies it
 * drops any it has already seen ({@code StateMachine}). That holds because the partition a record
 * goes to depends only on the record (its key, or for a plain service its producer and offset) and
 * one consumer thread appends a partition's records in offset order.
 */
public final class KafkaIngress implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaIngress.class);

  private final KafkaMetadata metadata;
  private final Schemas schemas;
  private final Appender appender;
  private final Partitioning partitioning;
  private final RandomGenerator random;
  private final String nodeName;
  private final Map<String, SubscriptionConsumer> running = new HashMap<>();
  private final Map<String, KafkaCluster> runningCluster = new HashMap<>();
  private boolean closed;

  private volatile DeclaredRates declaredRates = new DeclaredRates();

  public KafkaIngress(
      KafkaMetadata metadata,
      Schemas schemas,
      Appender appender,
      Partitioning partitioning,
      RandomGenerator random,
      String nodeName) {
    this.nodeName = nodeName;
    this.metadata = metadata;
    this.schemas = schemas;
    this.appender = appender;
    this.partitioning = partitioning;
    this.random = random;
  }

  public KafkaMetadata metadata() {
    return metadata;
  }

  /** Starts the consumers of the stored subscriptions and follows every later change. */
  public void start() {
    metadata.onChange(this::reconcile);
    reconcile();
  }

  private synchronized void reconcile() {
    if (closed) {
      return;
    }
    Map<String, Subscription> wanted = new HashMap<>();
    for (Subscription s : metadata.subscriptions()) {
      wanted.put(s.id(), s);
    }
    for (String id : java.util.List.copyOf(running.keySet())) {
      Subscription s = wanted.get(id);
      KafkaCluster c = s == null ? null : metadata.cluster(s.cluster()).orElse(null);
      if (s == null || c == null || !c.equals(runningCluster.get(id))) {
        running.remove(id).close();
        runningCluster.remove(id);
      }
    }
    for (Subscription s : wanted.values()) {
      if (running.containsKey(s.id())) {
        continue;
      }
      KafkaCluster c = metadata.cluster(s.cluster()).orElse(null);
      if (c == null) {
        LOG.warn(
            "Kafka subscription {} reads from cluster '{}', which does not exist: not consuming",
            s.id(),
            s.cluster());
        continue;
      }
      SubscriptionConsumer consumer = new SubscriptionConsumer(s, c, this::append, nodeName);
      running.put(s.id(), consumer);
      runningCluster.put(s.id(), c);
      consumer.start();
      LOG.info("Kafka subscription {}: {} → {}", s.id(), s.source(), s.sink());
    }
  }

  /** The producer a record's dedup sequence belongs to. */
  static String producer(Subscription s, String topic, int partition) {
    return "kafka\0" + s.id() + "\0" + s.groupId() + "\0" + topic + "\0" + partition;
  }

  private CompletableFuture<?> append(Subscription s, ConsumerRecord<byte[], byte[]> r) {
    ServiceSchema service = schemas.service(s.service()).orElse(null);
    HandlerSchema handler = service == null ? null : service.handler(s.handler());
    if (handler == null) {
      return skip(s, r, "the sink handler " + s.sink() + " is no longer registered");
    }
    String producer = producer(s, r.topic(), r.partition());
    String key = null;
    InvocationId id;
    long now = appender.now();
    Scope scope;
    try {
      scope = scope(r.headers());
    } catch (IllegalArgumentException e) {
      return skip(s, r, e.getMessage());
    }
    if (scope == null) {
      scope =
          declaredRates
              .implicitScope(s.service(), s.handler())
              .map(i -> new Scope(i.scope(), i.limitKey()))
              .orElse(null);
    }
    if (service.type() == ServiceType.SERVICE && scope != null) {
      // a scoped plain-service invocation lives in its scope's partition, as on the ingress
      id = new InvocationId(PartitionKeys.keyed(scope.scope()), Ulid.generate(now, random));
    } else if (service.type() == ServiceType.SERVICE) {
      long bucket =
          Math.floorMod(
              (producer.hashCode() * 31L + Long.hashCode(r.offset())),
              PartitionKeys.UNKEYED_BUCKETS);
      id = new InvocationId(PartitionKeys.bucket(s.service(), bucket), Ulid.generate(now, random));
    } else {
      try {
        key =
            r.key() == null
                ? ""
                : StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(r.key()))
                    .toString();
      } catch (CharacterCodingException e) {
        return skip(s, r, "The Kafka record key must be valid UTF-8");
      }
      id =
          handler.type() == HandlerType.WORKFLOW
              ? DeterministicIds.workflowRun(s.service(), key)
              : new InvocationId(PartitionKeys.keyed(key), Ulid.generate(now, random));
    }
    Invoke.Builder b =
        Invoke.newBuilder()
            .setInvocationId(ByteString.copyFrom(id.toBytes()))
            .setTarget(Targets.of(service, handler, key))
            .setInput(r.value() == null ? ByteString.EMPTY : ByteString.copyFrom(r.value()))
            .setCompletionRetentionMillis(Targets.retentionMillis(service, handler, false))
            .setSubscriptionId(s.id());
    if (scope != null) {
      b.setScope(scope.scope()).setLimitKey(scope.limitKey() == null ? "" : scope.limitKey());
    }
    header(b, "kafka.offset", Long.toString(r.offset()));
    header(b, "kafka.topic", r.topic());
    header(b, "kafka.partition", Integer.toString(r.partition()));
    if (r.timestamp() >= 0) {
      header(b, "kafka.timestamp", Long.toString(r.timestamp()));
    }
    header(b, "restate.subscription.id", s.id());
    if (r.key() != null) {
      header(b, "kafka.key", Base64.getUrlEncoder().encodeToString(r.key()));
    }
    Envelope env =
        Envelope.newBuilder()
            .setProducer(producer)
            .setSourceSeq(r.offset() + 1)
            .setInvoke(b)
            .build();
    return appender.append(partitioning.partitionOf(id.partitionKey()), env);
  }

  /** The scope header restate-server reads from a record (behind its kafka_scope flag). */
  static final String SCOPE_HEADER = "x-restate-scope";

  /** The limit-key header (one or two levels, {@code l1/l2}), only with a scope. */
  static final String LIMIT_KEY_HEADER = "x-restate-limit-key";

  /** A record's scope and limit key (may be null). */
  record Scope(String scope, String limitKey) {}

  /**
   * The scope a record's headers give its invocation, or null when it has none (a limit key without
   * a scope is ignored, as on the ingress); throws for a malformed value.
   */
  static Scope scope(org.apache.kafka.common.header.Headers headers) {
    org.apache.kafka.common.header.Header sh = headers.lastHeader(SCOPE_HEADER);
    if (sh == null || sh.value() == null) {
      return null;
    }
    String scope = new String(sh.value(), StandardCharsets.UTF_8);
    if (!RulePattern.isValue(scope)) {
      throw new IllegalArgumentException(
          "invalid " + SCOPE_HEADER + " '" + scope + "': expected [a-zA-Z0-9_.-]{1,36}");
    }
    org.apache.kafka.common.header.Header lh = headers.lastHeader(LIMIT_KEY_HEADER);
    if (lh == null || lh.value() == null) {
      return new Scope(scope, null);
    }
    String limitKey = new String(lh.value(), StandardCharsets.UTF_8);
    String[] levels = limitKey.split("/", -1);
    if (levels.length > 2 || !java.util.Arrays.stream(levels).allMatch(RulePattern::isValue)) {
      throw new IllegalArgumentException(
          "invalid "
              + LIMIT_KEY_HEADER
              + " '"
              + limitKey
              + "': expected one or two levels of [a-zA-Z0-9_.-]{1,36}");
    }
    return new Scope(scope, limitKey);
  }

  /** Unscoped records of a service that declares a rate take its implicit scope. */
  public KafkaIngress declaredRates(DeclaredRates rates) {
    this.declaredRates = rates;
    return this;
  }

  private static void header(Invoke.Builder b, String k, String v) {
    b.addHeaders(Header.newBuilder().setKey(k).setValue(v));
  }

  private static CompletableFuture<?> skip(
      Subscription s, ConsumerRecord<byte[], byte[]> r, String why) {
    LOG.warn(
        "Kafka subscription {}: skipping record {}-{}@{}: {}",
        s.id(),
        r.topic(),
        r.partition(),
        r.offset(),
        why);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized void close() {
    closed = true;
    running.values().forEach(SubscriptionConsumer::close);
    running.clear();
    runningCluster.clear();
  }
}
