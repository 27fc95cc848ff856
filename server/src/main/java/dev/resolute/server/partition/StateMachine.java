package dev.resolute.server.partition;

import com.google.protobuf.MessageLite;
import dev.resolute.protocol.MessageType;
import dev.resolute.server.metrics.InvocationMetrics;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.storage.Txn;
import java.util.List;

/**
 * The deterministic partition state machine: (store, record) → (store', effects). No clock, no
 * randomness, no I/O: "now" is the record's timestamp, generated ids derive from stored data.
 *
 * <p>Each record is applied in its own {@link Apply} context by the family it belongs to: the
 * invocation lifecycle ({@link Lifecycle}: invoke, attempts, invoker events, completion, inbox), a
 * running attempt's commands ({@link Commands}), invocation control ({@link Control}: attach,
 * output, cancel, kill, pause, resume, purge) and what wakes an invocation up ({@link
 * Notifications}: timers, call completions, signals, promises), plus cron schedules ({@link
 * Schedules}: created, deleted, fired by their timer). Phases change only through {@link
 * Phase#move}; answers to waiting requests are {@link Answer}s.
 */
public final class StateMachine {
  static final long DEFAULT_RETENTION_MILLIS = 24L * 3600 * 1000;
  static final String WORKFLOW_ALREADY_INVOKED = "the workflow method was already invoked";

  /** Meta marker: the running index has been built (stores written before it existed lack it). */
  static final String RUNNING_INDEX = "running-index";

  private final int partition;
  private final Partitioning partitioning;
  private final Tables t;
  private final Leadership leadership;
  private final dev.resolute.server.limits.Admission limits;
  private InvocationMetrics metrics = InvocationMetrics.none();

  public StateMachine(int partition, Partitioning partitioning) {
    this.partition = partition;
    this.partitioning = partitioning;
    this.t = new Tables(partition, new StateCache());
    this.limits = new dev.resolute.server.limits.Admission(partition);
    this.leadership = new Leadership(partition);
  }

  /**
   * The leader epoch stored by the last applied {@code AnnounceLeader} (0 before any); read by the
   * partition's actor right after apply, to learn whether an announcement won.
   */
  long leaderEpoch(Txn read) {
    return leadership.epoch(read);
  }

  /** The node of {@link #leaderEpoch}. */
  int leaderNode(Txn read) {
    return leadership.node(read);
  }

  /**
   * The partition's keys in the store were replaced under the state machine (a cold follower
   * restored them from a snapshot): what it caches of them is forgotten.
   */
  void storeReplaced() {
    t.storeReplaced();
    leadership.forget();
  }

  /** Records ignored because a fenced leader appended them (see {@link Leadership}). */
  public long fencedRecords() {
    return leadership.fencedRecords();
  }

  /** Where lifecycle events are recorded from now on (none while replaying at start-up). */
  void metrics(InvocationMetrics m) {
    this.metrics = m;
  }

  /** Applies one committed record. Effects are appended to {@code effects}. */
  public void apply(Txn txn, long lsn, Envelope env, List<Effect> effects) {
    Apply cx =
        new Apply(
            t.on(txn), env.getTimestampMillis(), effects, partition, partitioning, metrics, limits);
    Tables.putAppliedLsn(txn, partition, lsn);
    if ((env.getLeaderEpoch() != 0 || env.hasAnnounceLeader()) && leadership.fence(txn, lsn, env)) {
      return;
    }
    if (env.getSourceSeq() != 0) {
      if (!env.getProducer().isEmpty()) {
        // an external producer's records reach this partition in its sequence order (one appender
        // per producer), so anything at or below the highest applied is a redelivery
        if (env.getSourceSeq() <= t.producerSeq(env.getProducer())) {
          return;
        }
        t.putProducerSeq(env.getProducer(), env.getSourceSeq());
      } else {
        if (env.getSourceSeq() <= t.dedupSeq(env.getSourcePartition())) {
          return; // a re-shipped outbox message already applied
        }
        t.putDedupSeq(env.getSourcePartition(), env.getSourceSeq());
      }
    }
    switch (env.getRecordCase()) {
      case INVOKE -> Lifecycle.onInvoke(cx, env.getInvoke());
      case INVOKER_EVENT ->
          Lifecycle.onInvokerEvent(cx, env.getInvokerEvent(), env.getCommandIndex());
      case TIMER_FIRED ->
          Notifications.onTimer(cx, env.getTimerFired().getTimerKey().toByteArray());
      case COMPLETE_CALL -> Notifications.onCompleteCall(cx, env.getCompleteCall());
      case SIGNAL -> Notifications.onSignal(cx, env.getSignal());
      case INGRESS_QUERY -> Control.onQuery(cx, env.getIngressQuery());
      case TRUNCATE_OUTBOX -> t.truncateOutbox(env.getTruncateOutbox().getUpToSeq());
      case RESUME_ALL -> Lifecycle.onResumeAll(cx);
      case KILL -> Control.onKill(cx, env.getKill());
      case STATE_MUTATION -> Control.onStateMutation(cx, env.getStateMutation());
      case CREATE_SCHEDULE -> Schedules.onCreate(cx, env.getCreateSchedule());
      case DELETE_SCHEDULE -> Schedules.onDelete(cx, env.getDeleteSchedule());
      case RULE_BATCH -> LimitHooks.onRuleBatch(cx, env.getRuleBatch());
      default -> {}
    }
  }

  static JournalEntry entry(MessageType type, MessageLite m) {
    return Outcomes.entry(type, m);
  }
}
