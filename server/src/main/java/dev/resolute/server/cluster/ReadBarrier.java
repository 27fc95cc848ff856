package dev.resolute.server.cluster;

import java.time.Duration;
import java.util.function.IntToLongFunction;
import java.util.function.Supplier;

/**
 * Read-your-writes for what a node reads from its own store (SQL) in cluster mode. Every node
 * applies every partition at its own pace, so a request answered through one node (its record
 * applied there) may not be applied yet on another: a query there would not see it. Before such a
 * read the node asks the log for each partition's end, lets its tailer read up to it, and waits
 * until its store has applied the last record delivered below it, in every partition; whatever was
 * acknowledged before the read started — by any node — is then visible. The wait is bounded: a
 * partition that cannot catch up (its processor stopped, Kafka unreachable) lets the read run on
 * what is applied after {@code timeout}.
 */
public final class ReadBarrier {
  private final Supplier<long[]> ends;
  private final IntToLongFunction applied;
  private final Duration timeout;

  /**
   * @param ends per partition, the LSN this node must have applied to see every record committed
   *     before the call ({@code KafkaLog.readTargets}: the last record delivered once the tailer
   *     read up to the partition's end; 0: none)
   * @param applied the LSN up to which this node's store has applied a partition
   */
  public ReadBarrier(Supplier<long[]> ends, IntToLongFunction applied, Duration timeout) {
    this.ends = ends;
    this.applied = applied;
    this.timeout = timeout;
  }

  /**
   * Waits until this node applied every partition up to its end when called; false when the timeout
   * passed first (or the ends could not be read).
   */
  public boolean await() {
    long deadline = System.nanoTime() + timeout.toNanos();
    long[] end;
    try {
      end = ends.get();
    } catch (RuntimeException e) {
      return false;
    }
    for (int p = 0; p < end.length; p++) {
      while (applied.applyAsLong(p) < end[p]) {
        if (System.nanoTime() >= deadline) {
          return false;
        }
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }
}
