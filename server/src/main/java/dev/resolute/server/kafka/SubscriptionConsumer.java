package dev.resolute.server.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription's consumer: a thread that polls the topic and hands each record, in offset order
 * per topic partition, to a {@link RecordSink} that appends it to the log.
 *
 * <p>Invariants: an offset is committed to Kafka only after the record and every earlier one of its
 * partition are durable in the log (so a crash or rebalance re-delivers only records the log may
 * already hold, which the partition state machine drops by (producer, offset)); at most {@link
 * #MAX_IN_FLIGHT} records wait for durability — beyond that the consumer pauses its partitions
 * instead of buffering more; a failure (broker gone, append refused) closes the consumer and starts
 * over from the committed offsets after a back-off.
 */
final class SubscriptionConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionConsumer.class);
  static final int MAX_IN_FLIGHT = 2048;
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long RETRY_MILLIS = 1000;

  /** Appends one record; the future completes when it is durable (or fails). */
  interface RecordSink {
    CompletableFuture<?> append(Subscription s, ConsumerRecord<byte[], byte[]> record);
  }

  private record Pending(long offset, CompletableFuture<?> durable) {}

  private final Subscription subscription;
  private final Map<String, Object> config;
  private final RecordSink sink;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  private final Map<TopicPartition, ArrayDeque<Pending>> inflight = new HashMap<>();
  private int inflightCount;
  private boolean paused;

  /**
   * @param nodeName this node's name: with the subscription id, the consumer's static group
   *     membership ({@code group.instance.id}), so a node restarted after a crash takes its
   *     partitions back at once instead of waiting for its old session to expire
   */
  SubscriptionConsumer(
      Subscription subscription, KafkaCluster cluster, RecordSink sink, String nodeName) {
    this.subscription = subscription;
    Map<String, String> props = new HashMap<>(cluster.properties());
    props.putAll(subscription.options());
    Map<String, Object> c = new HashMap<>(ClientProperties.toJava(props));
    c.put("enable.auto.commit", "false");
    c.put("key.deserializer", ByteArrayDeserializer.class.getName());
    c.put("value.deserializer", ByteArrayDeserializer.class.getName());
    c.putIfAbsent("auto.offset.reset", "latest"); // librdkafka's default, as restate-server
    c.putIfAbsent("group.instance.id", nodeName + "-" + subscription.id());
    this.config = c;
    this.sink = sink;
    this.thread = new Thread(this::runLoop, "kafka-" + subscription.id());
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  Subscription subscription() {
    return subscription;
  }

  private void runLoop() {
    while (running) {
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config)) {
        consumer = c;
        consume(c);
      } catch (WakeupException e) {
        // close() asked us to stop
      } catch (RuntimeException e) {
        if (running) {
          LOG.warn(
              "Kafka subscription {} ({} → {}) failed; starting over from the committed offsets"
                  + " in {} ms",
              subscription.id(),
              subscription.source(),
              subscription.sink(),
              RETRY_MILLIS,
              e);
        }
      } finally {
        consumer = null;
        inflight.clear();
        inflightCount = 0;
        paused = false;
      }
      if (running) {
        try {
          Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void consume(KafkaConsumer<byte[], byte[]> c) {
    c.subscribe(
        List.of(subscription.topic()),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drain(c, partitions);
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

          @Override
          public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // another member may already own them: what is in flight is durable or not, and the
            // new owner re-delivers from the committed offset either way
            forget(partitions);
          }
        });
    while (running) {
      for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        inflight
            .computeIfAbsent(tp, k -> new ArrayDeque<>())
            .add(new Pending(r.offset(), sink.append(subscription, r)));
        inflightCount++;
      }
      commitDurable(c, false);
      if (!paused && inflightCount >= MAX_IN_FLIGHT) {
        c.pause(c.assignment());
        paused = true;
      } else if (paused && inflightCount <= MAX_IN_FLIGHT / 2) {
        c.resume(c.paused());
        paused = false;
      }
    }
    commitDurable(c, true);
  }

  /**
   * Commits, per partition, the offset after the last record that is durable together with every
   * earlier one; throws when an append failed (the caller starts over from the committed offsets).
   */
  private void commitDurable(KafkaConsumer<byte[], byte[]> c, boolean sync) {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    for (Map.Entry<TopicPartition, ArrayDeque<Pending>> e : inflight.entrySet()) {
      ArrayDeque<Pending> q = e.getValue();
      long next = -1;
      while (!q.isEmpty() && q.peek().durable().isDone()) {
        Pending p = q.poll();
        inflightCount--;
        if (p.durable().isCompletedExceptionally()) {
          Throwable cause;
          try {
            p.durable().join();
            cause = null;
          } catch (RuntimeException ex) {
            cause = ex.getCause() != null ? ex.getCause() : ex;
          }
          throw new IllegalStateException(
              "record " + e.getKey() + "@" + p.offset() + " could not be appended to the log",
              cause);
        }
        next = p.offset() + 1;
      }
      if (next >= 0) {
        commit.put(e.getKey(), new OffsetAndMetadata(next));
      }
    }
    if (commit.isEmpty()) {
      return;
    }
    if (sync) {
      c.commitSync(commit);
    } else {
      c.commitAsync(
          commit,
          (offsets, err) -> {
            if (err != null) {
              LOG.debug("offset commit of {} failed (re-delivery is deduplicated)", offsets, err);
            }
          });
    }
  }

  /** Waits until the records of {@code partitions} in flight are durable, then commits them. */
  private void drain(KafkaConsumer<byte[], byte[]> c, Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      ArrayDeque<Pending> q = inflight.get(tp);
      if (q == null) {
        continue;
      }
      for (Pending p : q) {
        try {
          p.durable().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          break; // not durable: the next owner re-delivers it
        }
      }
    }
    try {
      commitDurable(c, true);
    } catch (RuntimeException e) {
      LOG.debug("commit on revocation failed (re-delivery is deduplicated)", e);
    }
    forget(partitions);
  }

  /** Stops tracking what is in flight for {@code partitions} (no longer ours). */
  private void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      ArrayDeque<Pending> q = inflight.remove(tp);
      if (q != null) {
        inflightCount -= q.size();
      }
    }
  }

  /**
   * Stops consuming (what is in flight and durable is committed first) and waits for the thread.
   */
  @Override
  public void close() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup(); // interrupting the thread instead would break the consumer's own close
    } else {
      thread.interrupt(); // between two consumers: ends the back-off sleep
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
