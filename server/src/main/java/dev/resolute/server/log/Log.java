package dev.resolute.server.log;

import java.util.concurrent.CompletableFuture;

/**
 * The partitioned log: the source of truth. A record is durable when its append future completes;
 * nothing may be acknowledged before that. Committed records are delivered, in LSN order, to the
 * consumer registered for their partition.
 */
public interface Log extends AutoCloseable {
  /** Appends a record; completes with its LSN once it is durable (fsync'd). */
  CompletableFuture<Long> append(int partition, byte[] payload);

  /**
   * Appends records of one partition as a group: in this order, with consecutive LSNs, made durable
   * by the same commit. Completes with the LSN of the last once all are durable.
   */
  default CompletableFuture<Long> appendAll(int partition, java.util.List<byte[]> payloads) {
    CompletableFuture<Long> last = CompletableFuture.completedFuture(0L);
    for (byte[] p : payloads) {
      last = append(partition, p);
    }
    return last;
  }

  /**
   * Appends records a partition's leader decided itself (its announcement, journal entries, timers
   * firing), as {@link #appendAll}. A log that fences leaders itself (Kafka with transactional
   * fencing) refuses them once a newer leader of the partition opened its session with {@link
   * #openLeaderSession}; the others append them like any record, and apply fences them by their
   * leader epoch.
   */
  default CompletableFuture<Long> appendAsLeader(int partition, java.util.List<byte[]> payloads) {
    return payloads.size() == 1
        ? append(partition, payloads.get(0))
        : appendAll(partition, payloads);
  }

  /**
   * As {@link #appendAsLeader} ({@code asLeader}) or {@link #appendAll}, with beside each payload
   * the record it encodes ({@code decoded.get(i)} parses to {@code payloads.get(i)}). A log that
   * hands its own appends to consumers in this process passes them along ({@link
   * RecordConsumer#accept(int, long, byte[], Object)}), so that apply does not parse again what the
   * appender has just encoded; the others ignore them.
   */
  default CompletableFuture<Long> appendDecoded(
      int partition, java.util.List<byte[]> payloads, java.util.List<?> decoded, boolean asLeader) {
    if (asLeader) {
      return appendAsLeader(partition, payloads);
    }
    return payloads.size() == 1
        ? append(partition, payloads.get(0))
        : appendAll(partition, payloads);
  }

  /**
   * This node is about to announce itself leader of {@code partition}: from now on its {@link
   * #appendAsLeader} records of the partition go through a new session that fences every earlier
   * one, of this node or another (their later leader appends fail, the open ones are dropped). A
   * no-op where the log does not fence (apply fences by epoch alone).
   */
  default void openLeaderSession(int partition) {}

  /**
   * Delivers every committed record of every partition whose LSN is greater than {@code
   * appliedLsn[partition]}, synchronously, in LSN order. Called once at start-up, before any
   * append.
   */
  void replay(long[] appliedLsn, RecordConsumer consumer);

  /** Registers the consumer of newly committed records of one partition (called after commit). */
  void subscribe(int partition, RecordConsumer consumer);

  @Override
  void close();

  @FunctionalInterface
  interface RecordConsumer {
    void accept(int partition, long lsn, byte[] payload);

    /**
     * As {@link #accept(int, long, byte[])}, with the record as its appender built it ({@code
     * decoded}, which parses from {@code payload}) when this process appended it through {@link
     * #appendDecoded}, else null.
     */
    default void accept(int partition, long lsn, byte[] payload, Object decoded) {
      accept(partition, lsn, payload);
    }
  }
}
