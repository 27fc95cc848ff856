package dev.resolute.server.partition;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.metrics.InvocationMetrics;
import dev.resolute.server.pb.Caller;
import dev.resolute.server.pb.CompleteCall;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.InvocationStatusOrBuilder;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.OutboxMessage;
import dev.resolute.server.pb.Outcome;
import dev.resolute.server.pb.Timer;
import java.util.List;

/**
 * The context of applying one record: the partition's tables inside the record's batch, the
 * record's time (the only "now" apply knows) and the effects it asks for. One per applied record,
 * so nothing of one record's apply leaks into the next; the record families ({@link Lifecycle},
 * {@link Commands}, {@link Control}, {@link Notifications}) take it as their first argument.
 */
final class Apply {
  final Tables t;
  final long now;
  final dev.resolute.server.limits.Admission limits;
  private final List<Effect> out;
  private final int partition;
  private final Partitioning partitioning;
  private final InvocationMetrics metrics;

  Apply(
      Tables t,
      long now,
      List<Effect> out,
      int partition,
      Partitioning partitioning,
      InvocationMetrics metrics,
      dev.resolute.server.limits.Admission limits) {
    this.metrics = metrics;
    this.limits = limits;
    this.t = t;
    this.now = now;
    this.out = out;
    this.partition = partition;
    this.partitioning = partitioning;
  }

  /** Records a lifecycle event of the invocation whose status is {@code st}. */
  void count(InvocationStatusOrBuilder st, InvocationMetrics.Event e) {
    metrics.record(st.getTarget().getService(), e);
  }

  /** Asks for an effect once the batch is committed. */
  void effect(Effect e) {
    out.add(e);
  }

  /** Appends {@code e} to the journal of {@code id}, whose status is being built in {@code st}. */
  void appendEntry(InvocationId id, InvocationStatus.Builder st, JournalEntry e) {
    t.putEntry(id, st.getJournalLength(), e.toBuilder().setAppendedAt(now).build());
    st.setJournalLength(st.getJournalLength() + 1).setLastEntryAt(now).setRetryCount(0);
  }

  /** Stores a timer and asks the leader to fire it at {@code time}; returns its key. */
  byte[] timer(long time, Timer timer) {
    byte[] key = t.putTimer(time, timer);
    out.add(new Effect.RegisterTimer(key, time));
    return key;
  }

  /**
   * Puts a message to the partition of {@code target} in the outbox and asks the leader to ship it.
   */
  void ship(InvocationId target, Envelope env) {
    int targetPartition = partitioning.partitionOf(target.partitionKey());
    long seq = t.nextSeq("outbox");
    Envelope e = env.toBuilder().setSourcePartition(partition).setSourceSeq(seq).build();
    t.putOutbox(
        seq, OutboxMessage.newBuilder().setTargetPartition(targetPartition).setEnvelope(e).build());
    out.add(new Effect.Ship(seq, targetPartition, e));
  }

  /** Ships an outcome to the handler that waits for it (as a CompleteCall to its partition). */
  void shipCompletion(Caller c, Outcome outcome) {
    InvocationId caller = InvocationId.fromBytes(c.getInvocationId().toByteArray());
    ship(
        caller,
        Envelope.newBuilder()
            .setCompleteCall(
                CompleteCall.newBuilder()
                    .setInvocationId(c.getInvocationId())
                    .setCompletionId(c.getCompletionId())
                    .setOutcome(outcome)
                    .setNotificationType(c.getNotificationType()))
            .build());
  }

  /** Answers a waiting ingress request; request 0 (nobody waits) gets nothing. */
  void reply(long requestId, Answer answer) {
    if (requestId != 0) {
      out.add(new Effect.Reply(requestId, answer));
    }
  }

  /** Refuses a waiting ingress request with an HTTP status. */
  void refuse(long requestId, int status, String message) {
    reply(requestId, new Answer.Refused(new DispatchException(status, message)));
  }

  static ByteString raw(InvocationId id) {
    return ByteString.copyFrom(id.toBytes());
  }
}
