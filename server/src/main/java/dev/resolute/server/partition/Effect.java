package dev.resolute.server.partition;

import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.JournalEntry;
import java.util.List;

/**
 * What applying a record asks the leader to do, after the batch is committed. Every effect may be
 * repeated after a crash without a visible duplicate (ids, attempts and sequence numbers make them
 * idempotent).
 */
public sealed interface Effect {
  /** Start (or restart) an attempt: the invoker opens a stream and replays this journal. */
  record StartAttempt(
      InvocationId id,
      InvocationStatus status,
      List<JournalEntry> journal,
      List<byte[][]> state,
      boolean partialState)
      implements Effect {}

  /** Push a journal entry stored for a live attempt to its stream. */
  record Forward(InvocationId id, int attempt, JournalEntry entry) implements Effect {}

  /** Stop a live attempt (killed or superseded). */
  record AbortAttempt(InvocationId id) implements Effect {}

  /** Fire {@code TimerFired(key)} at {@code time} (ms since epoch). */
  record RegisterTimer(byte[] key, long time) implements Effect {}

  /** Append an outbox message to another (or the same) partition; then truncate the outbox. */
  record Ship(long seq, int targetPartition, Envelope envelope) implements Effect {}

  /** A traced invocation completed: its span is exported (from the stored times and ids). */
  record InvocationEnded(InvocationId id, InvocationStatus status) implements Effect {}

  /** Answer a waiting ingress request (node-local id). */
  record Reply(long requestId, Answer answer) implements Effect {
    /** The answer's plain value ({@link Answer#value()}). */
    public Object result() {
      return answer.value();
    }
  }
}
