package dev.resolute.server.partition;

import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.pb.JournalEntry;

/** What the partition leader asks of the invoker. Calls must not block. */
public interface InvokerPort {
  void start(int partition, Effect.StartAttempt attempt);

  void forward(InvocationId id, int attempt, JournalEntry entry);

  void abort(InvocationId id);

  /** Cancels every attempt of {@code partition}: this node stopped leading it (cluster mode). */
  default void abortPartition(int partition) {}
}
