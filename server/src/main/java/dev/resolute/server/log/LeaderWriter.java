package dev.resolute.server.log;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's own appends to one Resolute partition in transactional fencing: a Kafka producer
 * with {@code transactional.id = <topic>-p<partition>}, the same id on every node. Opening one
 * ({@code initTransactions}) fences every earlier producer of that id, on any node: its open
 * transaction is aborted (its records are never read, the log is read {@code read_committed}) and
 * its later appends fail with {@link LeaderFencedException}. A leader opens its writer before it
 * appends its announcement, so no record of an earlier leader of the partition can be committed
 * after the new one's announcement.
 *
 * <p><b>Group commit.</b> One thread per writer takes every append queued while the previous
 * transaction committed and writes them in one transaction: an append completes once its
 * transaction committed (so every in-sync replica has its records, {@code acks=all}). Appends keep
 * their order; an {@code appendAll} group is in one transaction.
 *
 * <p><b>Fail-stop.</b> A failed transaction would leave a hole before the appends after it: a
 * writer that failed takes no more appends. Fenced, it fails alone (another node leads the
 * partition now); any other failure is reported to {@code onFailure}, which stops the whole log
 * (see {@link KafkaLog}).
 */
final class LeaderWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderWriter.class);

  private record Pending(List<byte[]> payloads, CompletableFuture<Long> future) {}

  private final String topic;
  private final int partition;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Consumer<Throwable> onFailure;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Thread thread;
  private RuntimeException failure;
  private volatile boolean closed;

  /** The transactional id of a partition's leader writer. */
  static String transactionalId(String topic, int partition) {
    return topic + "-p" + partition;
  }

  LeaderWriter(
      Map<String, Object> producerProperties,
      String topic,
      int partition,
      Consumer<Throwable> onFailure) {
    this.topic = topic;
    this.partition = partition;
    this.onFailure = onFailure;
    Map<String, Object> p = new java.util.HashMap<>(producerProperties);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(topic, partition));
    p.put(
        ProducerConfig.CLIENT_ID_CONFIG, p.get(ProducerConfig.CLIENT_ID_CONFIG) + "-p" + partition);
    this.producer = new KafkaProducer<>(p);
    this.thread = new Thread(this::run, "log-leader-p" + partition);
    thread.setDaemon(true);
    thread.start();
  }

  CompletableFuture<Long> append(List<byte[]> payloads) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    synchronized (this) {
      if (failure != null) {
        f.completeExceptionally(failure);
        return f;
      }
      if (closed) {
        f.completeExceptionally(
            new LeaderFencedException(
                "partition " + partition + ": this node's leader session is closed", null));
        return f;
      }
      queue.add(new Pending(payloads, f));
      notifyAll();
    }
    return f;
  }

  private void run() {
    try {
      producer.initTransactions();
      LOG.info(
          "partition {}: leader writer {} open, earlier ones fenced",
          partition,
          transactionalId(topic, partition));
    } catch (RuntimeException e) {
      fail(e, List.of());
      return;
    }
    while (true) {
      List<Pending> batch;
      synchronized (this) {
        while (queue.isEmpty() && !closed && failure == null) {
          try {
            wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        if (queue.isEmpty() || failure != null) {
          return;
        }
        batch = new ArrayList<>(queue);
        queue.clear();
      }
      try {
        producer.beginTransaction();
        List<Future<RecordMetadata>> last = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
          Future<RecordMetadata> sent = null;
          for (byte[] payload : pending.payloads()) {
            sent = producer.send(new ProducerRecord<>(topic, partition, null, payload));
          }
          last.add(sent);
        }
        producer.commitTransaction();
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).future().complete(last.get(i).get().offset() + 1);
        }
      } catch (ExecutionException e) {
        fail(e.getCause(), batch);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail(e, batch);
        return;
      } catch (RuntimeException e) {
        fail(e, batch);
        return;
      }
    }
  }

  private static boolean fenced(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
        return true;
      }
    }
    return false;
  }

  private void fail(Throwable cause, List<Pending> inFlight) {
    boolean fenced = fenced(cause);
    RuntimeException f =
        fenced
            ? new LeaderFencedException(
                "partition "
                    + partition
                    + ": a newer leader fenced this node's leader writer; its appends are refused",
                cause)
            : new LocalLog.LogStoppedException(
                "partition " + partition + ": a leader transaction failed: " + cause, cause);
    List<Pending> rest;
    synchronized (this) {
      failure = f;
      rest = new ArrayList<>(queue);
      queue.clear();
    }
    if (fenced) {
      LOG.warn("partition {}: leader writer fenced by a newer leader", partition);
    } else if (!closed) {
      LOG.error("partition {}: leader transaction failed", partition, cause);
      onFailure.accept(cause);
    }
    for (Pending p : inFlight) {
      p.future().completeExceptionally(f);
    }
    for (Pending p : rest) {
      p.future().completeExceptionally(f);
    }
    closeProducer(Duration.ZERO);
  }

  /**
   * Stops the writer: what is queued is still written (within {@code timeout}), later appends are
   * refused.
   */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  void close(Duration timeout) {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    if (timeout.isZero()) {
      closeProducer(Duration.ZERO); // a transaction in progress fails at once
    }
    try {
      thread.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeProducer(timeout.isZero() ? Duration.ZERO : Duration.ofSeconds(1));
  }

  private void closeProducer(Duration timeout) {
    try {
      producer.close(timeout);
    } catch (RuntimeException e) {
      LOG.debug("closing the leader writer of partition {} failed", partition, e);
    }
  }
}
