package dev.resolute.server.partition;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.resolute.server.pb.AnnounceLeader;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.OutboxMessage;
import dev.resolute.server.pb.ResumeAll;
import dev.resolute.server.pb.TimerFired;
import dev.resolute.server.pb.TruncateOutbox;
import dev.resolute.server.storage.Keys;
import dev.resolute.server.storage.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's leader: applies committed records in LSN order, one store batch per drained group
 * of records, then runs the effects (only after the batch is committed). Partitions are actors on a
 * shared executor (about one thread per core, not one per partition): at most one drain of a
 * partition is queued or running at any time, so its records are applied serially.
 */
public final class PartitionProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionProcessor.class);

  private final int partition;
  private final StateMachine sm;
  private final Store store;
  private final Appender appender;

  /**
   * Ships outbox messages with epoch 0: the target partition dedups them by (source, seq), and
   * stamping them with an epoch this node once held for the target would let the target's next
   * leader fence them after the outbox was truncated for them (a lost message).
   */
  private final Appender shipper;

  private final InvokerPort invoker;
  private volatile dev.resolute.server.tracing.Tracing tracing =
      dev.resolute.server.tracing.Tracing.disabled();
  private final Replies replies;
  private final ScheduledExecutorService timers;
  private static final long TIMER_HORIZON_MILLIS = 60_000;
  static final long TRUNCATE_OUTBOX_EVERY = 32;

  /**
   * The highest outbox seq a truncation was appended for (by {@link #shipped} or {@link #lead}).
   */
  private final AtomicLong truncateAsked = new AtomicLong();

  private final java.util.concurrent.atomic.AtomicInteger armedTimers =
      new java.util.concurrent.atomic.AtomicInteger();

  private final Executor executor;
  private final ConcurrentLinkedQueue<Object[]> incoming = new ConcurrentLinkedQueue<>();

  /** True while a drain is queued or running; only the false-to-true transition submits one. */
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /**
   * False until {@link #lead()} (or, in cluster mode, {@link #follow()}) has committed the start-up
   * replay; true from then on, also while a cluster node only follows. Records handed over before
   * (a message another partition re-shipped from its outbox while leading first) wait in {@link
   * #incoming}. Applying them earlier would read the store without the replayed records (the replay
   * batch is not committed yet): their (source, seq) dedup and the invocations' statuses would be
   * those of the last store flush, so a re-shipped message already applied in the replay was
   * applied again, and could start an attempt on an old journal whose commands, journaled once the
   * replay was committed, created a second child (one call or send applied twice).
   */
  private volatile boolean leading;

  /**
   * True while this node leads the partition: effects other than replies run only then (invoker,
   * timers, outbox shipping). A single node sets it in {@link #lead()}; a cluster node when its own
   * announcement wins at apply, and clears it when it steps down.
   */
  private volatile boolean leader;

  /** Set by {@link #follow()}: leadership follows the membership and the announcements. */
  private volatile boolean clustered;

  /**
   * Cluster mode: false while this node may have been fenced without knowing it yet (it stood
   * still, see {@code cluster.PauseDetector}); a leader then runs no effect but replies, and steps
   * down before it leads again.
   */
  private volatile java.util.function.BooleanSupplier lease = () -> true;

  /** Cluster mode: the membership assigned this partition to this node (see {@link #claim()}). */
  private volatile boolean wanted;

  /** Cluster mode: the epoch of this node's last announcement, not yet seen applied (0: none). */
  private volatile long pendingEpoch;

  /** The epoch this node leads under while {@link #leader}. */
  private volatile long leaderEpoch;

  private volatile java.util.concurrent.ScheduledFuture<?> sweeps;
  private final Object leadership = new Object();

  private volatile boolean stopped;
  private volatile boolean failed;

  /**
   * Every timer due at or before this time is armed in the scheduler; later ones stay only in the
   * timer table until a sweep brings them within the horizon. Touched by this partition's actor
   * (drain, effects) and by {@link #lead()} before any drain.
   */
  private long armedUpTo = Long.MIN_VALUE;

  private volatile boolean sweepDue;

  /**
   * Cluster mode with cold followers ({@code cluster.warm-followers = false}, see {@link
   * #coldFollower}): where a partition that was not applied catches up from; null when this node
   * applies every partition.
   */
  private volatile CatchUpSource coldSource;

  private Executor coldExecutor;

  /** Applies every record handed over (a leader, a warm follower, a cold one while held). */
  private static final int APPLYING = 0;

  /** A cold follower: records are dropped unapplied, but for forwarded replies to this node. */
  private static final int COLD = 1;

  /** Catching up from the log (and a snapshot) on the catch-up executor; records wait. */
  private static final int CATCHING_UP = 2;

  private volatile int mode = APPLYING;
  private final Object coldLock = new Object();

  /** Holds on the partition being applied: the claim, reads that must be current (coldLock). */
  private int holds;

  /** Completed when a catch-up asked for by a hold is done (coldLock). */
  private CompletableFuture<Void> caughtUp;

  /** Whether the claim holds the partition (coldLock). */
  private boolean claimHold;

  /** Markers queued in {@link #incoming} among the records (compared by identity). */
  private static final byte[] HOLD = new byte[0];

  private static final byte[] GO_COLD = new byte[0];

  private Store.Batch replayBatch;
  private int replayed;

  public PartitionProcessor(
      int partition,
      Partitioning partitioning,
      Store store,
      Appender appender,
      InvokerPort invoker,
      Replies replies,
      ScheduledExecutorService timers,
      Executor executor) {
    this.partition = partition;
    this.sm = new StateMachine(partition, partitioning);
    this.store = store;
    this.appender = appender;
    this.shipper = appender.forClients();
    this.invoker = invoker;
    this.replies = replies;
    this.timers = timers;
    this.executor = executor;
  }

  public static long appliedLsn(Store store, int partition) {
    try (Store.Reader read = store.reader()) {
      return Tables.appliedLsn(read, partition);
    }
  }

  /** The applied LSN of each of {@code partitions} partitions in {@code store}, read at once. */
  public static long[] appliedLsns(Store store, int partitions) {
    long[] out = new long[partitions];
    try (Store.Reader read = store.reader()) {
      for (int p = 0; p < partitions; p++) {
        out[p] = Tables.appliedLsn(read, p);
      }
    }
    return out;
  }

  /**
   * Start-up replay of a committed record whose effects already happened or are re-derived. Records
   * are applied in batches of up to 1024 per store write; {@link #lead()} commits the rest.
   */
  public void replay(long lsn, byte[] payload) {
    if (replayBatch == null) {
      replayBatch = store.begin();
    }
    try {
      sm.apply(replayBatch, lsn, Envelope.parseFrom(payload), new ArrayList<>());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt log record at lsn " + lsn, e);
    }
    if (++replayed % 1024 == 0) {
      finishReplay();
    }
  }

  private void finishReplay() {
    if (replayBatch != null) {
      try (Store.Batch b = replayBatch) {
        b.commit();
      }
      replayBatch = null;
    }
  }

  /**
   * Becomes leader: commits the start-up replay, announces itself under the next epoch, re-arms
   * timers, re-ships the outbox, re-drives running invocations, and only then applies the records
   * handed over meanwhile (see {@link #leading}). The announcement is appended before anything else
   * this leader appends to the partition (timers due now fire while they are armed), so its own
   * records follow it in the log.
   */
  public void lead() {
    finishReplay();
    announce();
    startLeading();
    leading = true;
    wake(); // what was handed over before, in LSN order, after the replay
  }

  /**
   * The leader's start: re-arms timers, re-ships the outbox, re-drives running invocations. Every
   * record before the announcement is applied at this point (start-up replay, or the announcement
   * itself applied in cluster mode).
   */
  private void startLeading() {
    leader = true;
    armedUpTo = Long.MIN_VALUE;
    armTimers();
    sweeps =
        timers.scheduleWithFixedDelay(
            () -> {
              sweepDue = true;
              wake();
            },
            TIMER_HORIZON_MILLIS / 2,
            TIMER_HORIZON_MILLIS / 2,
            TimeUnit.MILLISECONDS);
    List<Object[]> outbox;
    try (Store.Reader read = store.reader()) {
      outbox = new Tables(partition).on(read).outbox();
    }
    long max = 0;
    List<CompletableFuture<Long>> reshipped = new ArrayList<>(outbox.size());
    for (Object[] o : outbox) {
      OutboxMessage m = (OutboxMessage) o[1];
      reshipped.add(shipper.append(m.getTargetPartition(), m.getEnvelope()));
      max = Math.max(max, (long) o[0]);
    }
    if (max > 0) {
      // truncated only once every message is durable in its target's log, as steady-state
      // shipping does: on a log whose partitions fail apart (Kafka) a failed ship beside a
      // committed truncation would lose the message; a failed one is shipped again by the next
      // leader
      long upTo = max;
      CompletableFuture.allOf(reshipped.toArray(CompletableFuture[]::new))
          .thenRun(
              () -> {
                truncateAsked.accumulateAndGet(upTo, Math::max);
                appender.append(
                    partition,
                    Envelope.newBuilder()
                        .setTruncateOutbox(TruncateOutbox.newBuilder().setUpToSeq(upTo))
                        .build());
              });
    }
    appender.append(
        partition, Envelope.newBuilder().setResumeAll(ResumeAll.getDefaultInstance()).build());
  }

  /**
   * Cluster mode: while {@code lease} is false this node leads nothing but its replies (see {@link
   * #lease}). Set before the node joins the group.
   */
  public void leaseWith(java.util.function.BooleanSupplier lease) {
    this.lease = lease;
  }

  /**
   * Cluster mode: applies the partition's records as they are committed, with no effects but
   * replies to this node's waiters (a warm follower). Commits the start-up replay first.
   */
  public void follow() {
    clustered = true;
    finishReplay();
    if (coldSource != null) {
      mode = COLD;
    }
    leading = true;
    wake();
  }

  /**
   * Cluster mode with {@code cluster.warm-followers = false}; called before {@link #follow()}. The
   * partition is applied only while it is held: by this node's claim (from {@link #claim()} to
   * {@link #stepDown()}) or by a read that must see it current ({@link #hold()}). Otherwise its
   * records are dropped as they arrive and its keys in the store are stale: they stay as they were
   * at the applied LSN, which does not move. When a hold takes a cold partition, records that
   * arrive wait while {@code source} brings the store up to the log's end: the partition's keys are
   * first replaced by the newest snapshot's if the log was trimmed past its applied LSN, then the
   * log is read from the applied LSN to its end and applied (no effects but replies); the records
   * that waited are then applied on, those at or below the applied LSN skipped. A claim announces
   * itself only after that, so the rule "lead once the own announcement is applied" holds as for a
   * warm follower. Every answer this partition's apply gives to another node's waiter (which does
   * not apply the partition) is appended as a {@code ForwardedReply} while this node holds the
   * claim; a cold node completes those addressed to it.
   */
  public void coldFollower(CatchUpSource source, Executor catchUpExecutor) {
    this.coldExecutor = catchUpExecutor;
    this.coldSource = source;
  }

  /** Whether this node applies the partition now (always, unless a cold follower). */
  public boolean applying() {
    return mode == APPLYING;
  }

  /**
   * A cold follower: applies the partition until {@link #release()}, caught up first if it was
   * cold; the future completes once the catch-up is done (at once for a warm one). Every hold is
   * released, also when the future fails.
   */
  public CompletableFuture<Void> hold() {
    if (coldSource == null) {
      return CompletableFuture.completedFuture(null);
    }
    synchronized (coldLock) {
      return holdLocked();
    }
  }

  private CompletableFuture<Void> holdLocked() {
    holds++;
    if (mode == APPLYING && caughtUp == null) {
      return CompletableFuture.completedFuture(null);
    }
    if (caughtUp == null) {
      caughtUp = new CompletableFuture<>();
      incoming.add(new Object[] {0L, HOLD});
    }
    CompletableFuture<Void> f = caughtUp;
    wake();
    return f;
  }

  /** Ends a {@link #hold()}: the partition goes cold once no hold is left. */
  public void release() {
    if (coldSource == null) {
      return;
    }
    synchronized (coldLock) {
      if (--holds == 0) {
        incoming.add(new Object[] {0L, GO_COLD});
      }
    }
    wake();
  }

  /**
   * Cluster mode: the membership assigned this partition to this node. Appends an announcement
   * under an epoch above every one applied so far; this node leads once its announcement is applied
   * and won (so everything before it in the log is applied by then). A lost announcement (another
   * node announced the same or a higher epoch before it) is retried while the partition stays
   * assigned. Must be quick: called on the membership's thread.
   */
  public void claim() {
    wanted = true;
    if (coldSource == null) {
      announceClaim();
      return;
    }
    CompletableFuture<Void> f;
    synchronized (coldLock) {
      if (claimHold) {
        return; // claimed already: its catch-up announces
      }
      claimHold = true;
      f = holdLocked();
    }
    f.whenComplete(
        (v, e) -> {
          if (e != null) {
            LOG.error(
                "partition {}: cannot catch up to lead it; trying again in 5 s", partition, e);
            boolean again;
            synchronized (coldLock) {
              again = claimHold;
              claimHold = false;
            }
            if (again) {
              release();
              timers.schedule(
                  () -> {
                    if (wanted) {
                      claim();
                    }
                  },
                  5,
                  TimeUnit.SECONDS);
            }
          } else if (wanted) {
            announceClaim();
          }
        });
  }

  private void announceClaim() {
    long epoch;
    try (Store.Reader read = store.reader()) {
      epoch = Math.max(Leadership.epoch(read, partition), pendingEpoch) + 1;
    }
    pendingEpoch = epoch;
    LOG.info("partition {}: claiming leadership in epoch {}", partition, epoch);
    appender.openLeaderSession(partition);
    appender.append(
        partition,
        Envelope.newBuilder()
            .setAnnounceLeader(AnnounceLeader.newBuilder().setEpoch(epoch).setNode(appender.node()))
            .build());
  }

  /**
   * Cluster mode: this node no longer leads the partition (the membership revoked it, or another
   * node's announcement won). Stops at once what only a leader does: its attempts are cancelled,
   * armed timers do not fire, the outbox is not shipped. Records its attempts still append carry
   * the old epoch and are fenced once the next leader has announced itself.
   */
  public void stepDown() {
    wanted = false;
    resign();
    if (coldSource != null) {
      boolean held;
      synchronized (coldLock) {
        held = claimHold;
        claimHold = false;
      }
      if (held) {
        release(); // stops applying once no read holds it either
      }
    }
  }

  private void resign() {
    synchronized (leadership) {
      if (!leader) {
        return;
      }
      leader = false;
      java.util.concurrent.ScheduledFuture<?> s = sweeps;
      if (s != null) {
        s.cancel(false);
      }
      armedUpTo = Long.MIN_VALUE;
      LOG.info("partition {}: stepped down from epoch {}", partition, leaderEpoch);
    }
    invoker.abortPartition(partition);
  }

  /** Whether this node leads the partition now (cluster mode; a single node always does). */
  public boolean isLeader() {
    return leader;
  }

  /** The partition's leader as last applied here: {epoch, node}; {0, 0} before any. */
  public long[] appliedLeader() {
    try (Store.Reader read = store.reader()) {
      return new long[] {sm.leaderEpoch(read), sm.leaderNode(read)};
    }
  }

  /**
   * After an {@code AnnounceLeader} was applied (and its batch committed): becomes leader when this
   * node's pending announcement won, steps down when another node's did, and claims again when this
   * node's lost while the partition is still assigned to it. On the partition's actor.
   */
  private void announced(AnnounceLeader a, long storedEpoch, int storedNode) {
    int self = appender.node();
    boolean mine = storedNode == self;
    if (leader && (!mine || storedEpoch != leaderEpoch)) {
      LOG.warn(
          "partition {}: node {} announced epoch {}; this node stops leading",
          partition,
          storedNode,
          storedEpoch);
      resign();
    }
    if (!wanted || a.getNode() != self || a.getEpoch() != pendingEpoch) {
      return;
    }
    pendingEpoch = 0;
    if (mine && storedEpoch == a.getEpoch()) {
      synchronized (leadership) {
        if (!wanted || leader) {
          return;
        }
        leaderEpoch = storedEpoch;
        appender.lead(partition, storedEpoch);
        LOG.info("partition {}: leading in epoch {}", partition, storedEpoch);
        startLeading();
      }
    } else {
      announceClaim();
    }
  }

  /**
   * Submits a drain unless one is queued or running, or the partition does not lead yet. A record
   * handed over while {@link #leading} is false is drained by the {@link #wake()} at the end of
   * {@link #lead()}: both flags are volatile, so either the hand-over sees {@code leading} or
   * lead's wake sees the record.
   */
  private void wake() {
    if (leading && scheduled.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  /**
   * Appends {@code AnnounceLeader} with the epoch after the applied one: every record of the log is
   * applied at this point (start-up replay), so the epoch is decided by the log alone, and from now
   * on this node's records to the partition carry it.
   */
  private void announce() {
    long epoch;
    try (Store.Reader read = store.reader()) {
      epoch = Leadership.epoch(read, partition) + 1;
    }
    appender.lead(partition, epoch);
    appender.append(
        partition,
        Envelope.newBuilder()
            .setAnnounceLeader(AnnounceLeader.newBuilder().setEpoch(epoch).setNode(appender.node()))
            .build());
  }

  /** Records this partition's apply ignored because a fenced leader appended them. */
  public long fencedRecords() {
    return sm.fencedRecords();
  }

  /**
   * Asks this partition to record, once it has applied everything handed to it so far, that it has
   * applied every one of its records up to {@code lsn} (its applied LSN moves there if lower). The
   * caller guarantees that every record of this partition with an LSN up to {@code lsn} has already
   * been handed to {@link #onCommitted} (see {@code LocalLog.deliveredUpTo}): it is queued behind
   * them. Lets a partition without traffic follow the log, so it does not hold back trimming.
   */
  public void advanceAppliedTo(long lsn) {
    if (stopped) {
      return;
    }
    incoming.add(new Object[] {lsn, null});
    wake();
  }

  /**
   * Called by the log writer after commit; must be quick. Before {@link #lead()} the record only
   * waits (see {@link #leading}).
   */
  public void onCommitted(int p, long lsn, byte[] payload) {
    onCommitted(p, lsn, payload, null);
  }

  /** As {@link #onCommitted(int, long, byte[])}, with the record as appended, if known. */
  public void onCommitted(int p, long lsn, byte[] payload, Object decoded) {
    incoming.add(
        decoded instanceof Envelope
            ? new Object[] {lsn, payload, decoded}
            : new Object[] {lsn, payload});
    wake();
  }

  /** The consumer of this partition's committed records, for {@code Log.subscribe}. */
  public dev.resolute.server.log.Log.RecordConsumer committedRecords() {
    return new dev.resolute.server.log.Log.RecordConsumer() {
      @Override
      public void accept(int partition, long lsn, byte[] payload) {
        onCommitted(partition, lsn, payload, null);
      }

      @Override
      public void accept(int partition, long lsn, byte[] payload, Object decoded) {
        onCommitted(partition, lsn, payload, decoded);
      }
    };
  }

  private void drain() {
    if (stopped) {
      scheduled.set(false);
      return;
    }
    if (coldSource != null && mode != APPLYING) {
      drainCold();
      return;
    }
    if (sweepDue && leader) {
      sweepDue = false;
      try {
        armTimers();
      } catch (RuntimeException e) {
        LOG.error("partition {}: timer sweep failed; retrying at the next sweep", partition, e);
        sweepDue = true;
      }
    }
    List<Effect> effects = new ArrayList<>();
    boolean lead = leader;
    AnnounceLeader announcement = null;
    long storedEpoch = 0;
    int storedNode = 0;
    boolean cold = coldSource != null;
    try (Store.Batch b = store.begin()) {
      Object[] rec;
      int n = 0;
      long applied = cold ? Tables.appliedLsn(b, partition) : 0;
      while (n < 512 && (rec = incoming.poll()) != null) {
        long lsn = (long) rec[0];
        if (rec[1] == HOLD) {
          continue; // applying already
        }
        if (rec[1] == GO_COLD) {
          if (goCold()) {
            break; // the records after it are dropped by drainCold
          }
          continue;
        }
        if (cold && rec[1] != null) {
          if (lsn <= applied) {
            continue; // applied by the catch-up
          }
          applied = lsn;
        }
        if (rec[1] == null) { // advanceAppliedTo: every earlier record of this partition is applied
          if (Tables.appliedLsn(b, partition) < lsn) {
            Tables.putAppliedLsn(b, partition, lsn);
          }
          continue;
        }
        Envelope env;
        try {
          // the record as this node appended it, or parsed from the log
          env = rec.length > 2 ? (Envelope) rec[2] : Envelope.parseFrom((byte[]) rec[1]);
        } catch (InvalidProtocolBufferException e) {
          LOG.error("partition {}: skipping undecodable record at lsn {}", partition, lsn, e);
          continue;
        }
        if (env.getRecordCase() == Envelope.RecordCase.FORWARDED_REPLY) {
          forwardedReply(env);
        }
        if (env.getRecordCase() == Envelope.RecordCase.RESUME_ALL) {
          long t0 = System.nanoTime();
          int before = effects.size();
          sm.apply(b, lsn, env, effects);
          LOG.debug(
              "partition {}: ResumeAll restarted {} invocations in {} ms",
              partition,
              effects.size() - before,
              (System.nanoTime() - t0) / 1_000_000);
        } else {
          sm.apply(b, lsn, env, effects);
        }
        n++;
        if (env.getRecordCase() == Envelope.RecordCase.ANNOUNCE_LEADER && clustered) {
          // cluster mode: a batch never spans a change of leader (see announced)
          announcement = env.getAnnounceLeader();
          storedEpoch = sm.leaderEpoch(b);
          storedNode = sm.leaderNode(b);
          break;
        }
      }
      b.commit();
    } catch (RuntimeException e) {
      LOG.error(
          "partition {}: apply failed; stopping the partition to protect its state", partition, e);
      failed = true;
      stopped = true;
      scheduled.set(false);
      return;
    }
    try {
      runEffects(effects, lead);
      if (announcement != null) {
        announced(announcement, storedEpoch, storedNode);
      }
    } finally {
      scheduled.set(false);
      if (!incoming.isEmpty()) {
        wake();
      }
    }
  }

  /** A cold follower's records: dropped, but for replies forwarded to this node's waiters. */
  private void drainCold() {
    try {
      Object[] rec;
      int n = 0;
      while (n++ < 4096 && mode == COLD && (rec = incoming.poll()) != null) {
        if (rec[1] == HOLD) {
          synchronized (coldLock) {
            if (caughtUp != null) {
              mode = CATCHING_UP; // what arrives from now on waits for the catch-up
              coldExecutor.execute(this::catchUp);
            }
          }
          break;
        }
        if (rec[1] == null || rec[1] == GO_COLD) {
          continue;
        }
        byte[] payload = (byte[]) rec[1];
        try {
          Envelope env = Envelope.parseFrom(payload);
          if (env.getRecordCase() == Envelope.RecordCase.FORWARDED_REPLY) {
            forwardedReply(env);
          }
        } catch (InvalidProtocolBufferException e) {
          LOG.error("partition {}: skipping undecodable record at lsn {}", partition, rec[0], e);
        }
      }
    } finally {
      scheduled.set(false);
      if (!incoming.isEmpty() && mode != CATCHING_UP) {
        wake();
      }
    }
  }

  /** A GO_COLD marker reached the actor: the partition goes cold unless held again since. */
  private boolean goCold() {
    synchronized (coldLock) {
      if (holds == 0 && caughtUp == null && !leader && mode == APPLYING) {
        mode = COLD;
        LOG.info("partition {}: no longer applied here (a cold follower)", partition);
        return true;
      }
      return false;
    }
  }

  /** Completes this node's waiter named by a forwarded reply (any other node's is ignored). */
  private void forwardedReply(Envelope env) {
    dev.resolute.server.pb.ForwardedReply r = env.getForwardedReply();
    if (ForwardedReplies.nodeOf(r.getRequestId()) == appender.node()) {
      try {
        replies.complete(r.getRequestId(), ForwardedReplies.decode(r));
      } catch (RuntimeException e) {
        LOG.error("partition {}: cannot read a forwarded reply", partition, e);
      }
    }
  }

  /**
   * Catches a cold partition up (see {@link #coldFollower}); on the catch-up executor while the
   * actor lets records wait ({@link #CATCHING_UP}).
   */
  private void catchUp() {
    RuntimeException failure = null;
    long t0 = System.nanoTime();
    try {
      long applied = appliedLsn(store, partition);
      long start = coldSource.logStart(partition);
      long from = applied;
      if (applied < start) {
        from = coldSource.restore(partition, store, start);
        sm.storeReplaced();
        LOG.info(
            "partition {}: applied up to LSN {}, the log was trimmed up to {}: restored from a"
                + " snapshot at LSN {}",
            partition,
            applied,
            start,
            from);
      }
      long end = coldSource.end(partition);
      boolean forward = wanted;
      List<Effect> effects = new ArrayList<>();
      Store.Batch[] batch = {null};
      int[] count = {0};
      coldSource.read(
          partition,
          from,
          end,
          (p, lsn, payload) -> {
            if (batch[0] == null) {
              batch[0] = store.begin();
            }
            try {
              sm.apply(batch[0], lsn, Envelope.parseFrom(payload), effects);
            } catch (InvalidProtocolBufferException e) {
              LOG.error("partition {}: skipping undecodable record at lsn {}", partition, lsn, e);
            }
            if (++count[0] % 1024 == 0) {
              commitCatchUp(batch, effects, forward);
            }
          });
      commitCatchUp(batch, effects, forward);
      LOG.info(
          "partition {}: caught up from LSN {} to {} ({} records) in {} ms",
          partition,
          from,
          end,
          count[0],
          (System.nanoTime() - t0) / 1_000_000);
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("partition {}: catch-up failed", partition, e);
    }
    CompletableFuture<Void> f;
    synchronized (coldLock) {
      mode = failure == null ? APPLYING : COLD;
      f = caughtUp;
      caughtUp = null;
    }
    if (f != null) {
      if (failure == null) {
        f.complete(null);
      } else {
        f.completeExceptionally(failure);
      }
    }
    wake();
  }

  /** Commits a catch-up batch, then answers the waiters its records answer (replies only). */
  private void commitCatchUp(Store.Batch[] batch, List<Effect> effects, boolean forward) {
    if (batch[0] != null) {
      try (Store.Batch b = batch[0]) {
        b.commit();
      }
      batch[0] = null;
    }
    for (Effect e : effects) {
      if (e instanceof Effect.Reply r) {
        reply(r, forward);
      }
    }
    effects.clear();
  }

  /**
   * Answers a waiter: this node's own, or, on a cold follower that holds the claim (or leads), the
   * waiter of a node that may not apply the partition, through a {@code ForwardedReply} record.
   */
  private void reply(Effect.Reply r, boolean forward) {
    replies.complete(r.requestId(), r.answer());
    int node = ForwardedReplies.nodeOf(r.requestId());
    if (forward && coldSource != null && node != 0 && node != appender.node()) {
      shipper.append(
          partition,
          Envelope.newBuilder()
              .setForwardedReply(ForwardedReplies.encode(r.requestId(), r.answer()))
              .build());
    }
  }

  /**
   * @param lead whether this node led the partition when the batch began: a follower (or a leader
   *     that stepped down meanwhile) only answers its waiters; a new leader re-derives the rest
   */
  private void runEffects(List<Effect> effects, boolean lead) {
    long maxShipped = 0;
    List<CompletableFuture<Long>> ships = new ArrayList<>();
    for (Effect e : effects) {
      try {
        if (e instanceof Effect.Reply r) {
          reply(r, wanted || leader);
          continue;
        }
        if (!(lead && leader && lease.getAsBoolean())) {
          continue;
        }
        if (e instanceof Effect.StartAttempt s) {
          invoker.start(partition, s);
        } else if (e instanceof Effect.Forward f) {
          invoker.forward(f.id(), f.attempt(), f.entry());
        } else if (e instanceof Effect.AbortAttempt a) {
          invoker.abort(a.id());
        } else if (e instanceof Effect.RegisterTimer r) {
          schedule(r.key(), r.time());
        } else if (e instanceof Effect.Ship s) {
          ships.add(shipper.append(s.targetPartition(), s.envelope()));
          maxShipped = Math.max(maxShipped, s.seq());
        } else if (e instanceof Effect.InvocationEnded x) {
          tracing.invocationEnded(x.id(), x.status());
        }
      } catch (RuntimeException ex) {
        LOG.error("partition {}: effect {} failed", partition, e.getClass().getSimpleName(), ex);
      }
    }
    if (maxShipped > 0) {
      long upTo = maxShipped;
      CompletableFuture.allOf(ships.toArray(CompletableFuture[]::new)).thenRun(() -> shipped(upTo));
    }
  }

  /**
   * The outbox messages up to {@code upTo} are durable in their target partitions' logs. The outbox
   * is truncated once {@value #TRUNCATE_OUTBOX_EVERY} such messages have gathered, not after every
   * ship: a truncation is a log record, and one per ship was an extra commit and apply per call and
   * per result (a call is 8 commits with them, 6 without). Messages not truncated yet are shipped
   * again when a leader starts, and dropped by the target's (source, seq) dedup.
   */
  private void shipped(long upTo) {
    long asked = truncateAsked.get();
    if (upTo - asked >= TRUNCATE_OUTBOX_EVERY && truncateAsked.compareAndSet(asked, upTo)) {
      appender.append(
          partition,
          Envelope.newBuilder()
              .setTruncateOutbox(TruncateOutbox.newBuilder().setUpToSeq(upTo))
              .build());
    }
  }

  /**
   * Arms the timers of the table due within the horizon that are not armed yet. Holding only those
   * in memory keeps start-up and RSS flat when many timers are far out (workflow retention, long
   * sleeps): re-arming 55 000 of them took seconds of every restart.
   */
  private void armTimers() {
    long upTo = appender.now() + TIMER_HORIZON_MILLIS;
    long from = armedUpTo;
    // timer keys are ordered by time: seek past what is armed, stop at the horizon
    byte[] prefix = Keys.of(partition, Keys.TIMER).build();
    byte[] start =
        from == Long.MIN_VALUE ? prefix : Keys.of(partition, Keys.TIMER).u64(from + 1).build();
    try (Store.Reader read = store.reader()) {
      read.scanFrom(
          prefix,
          start,
          (k, v) -> {
            long time = Keys.timerTime(k);
            if (time > upTo) {
              return false;
            }
            if (time > from) {
              arm(k, time);
            }
            return true;
          });
    }
    armedUpTo = upTo;
  }

  /** A timer registered by apply: armed now if within the armed horizon, else by a later sweep. */
  private void schedule(byte[] key, long time) {
    if (time <= armedUpTo) {
      arm(key, time);
    }
  }

  private void arm(byte[] key, long time) {
    armedTimers.incrementAndGet(); // a gauge: armed and not fired yet
    Runnable fire =
        () -> {
          armedTimers.decrementAndGet();
          if (!leader) {
            return; // stepped down: the next leader arms the timer again
          }
          appender.append(
              partition,
              Envelope.newBuilder()
                  .setTimerFired(TimerFired.newBuilder().setTimerKey(ByteString.copyFrom(key)))
                  .build());
        };
    // in microseconds: a delay in whole milliseconds from the truncated current millisecond fired
    // every timer 0.5 ms late on average (sleep-1's latency above its sleep)
    long delay = time * 1_000L - appender.nowMicros();
    if (delay <= 0) {
      fire.run();
    } else {
      timers.schedule(fire, delay, TimeUnit.MICROSECONDS);
    }
  }

  /**
   * At a clean shutdown, once the log has stopped delivering and the executor has finished: if
   * every record delivered to this partition was applied, then all of its records up to {@code
   * lastLsn} are, and its applied LSN moves there. Without this, a partition that saw no traffic
   * since its first start keeps an old applied LSN and restart rescans the whole log.
   */
  public void markCaughtUp(long lastLsn) {
    if (failed
        || !incoming.isEmpty()
        || scheduled.get()
        || replayBatch != null
        || appliedLsn(store, partition) >= lastLsn) {
      return;
    }
    try (Store.Batch b = store.begin()) {
      Tables.putAppliedLsn(b, partition, lastLsn);
      b.commit();
    }
  }

  /**
   * Records lifecycle events from now on; called before {@link #lead()}, so replayed records are
   * not counted again.
   */
  /** Where the spans of completed invocations go; none until set. */
  public void tracing(dev.resolute.server.tracing.Tracing t) {
    this.tracing = t;
  }

  public void metrics(dev.resolute.server.metrics.InvocationMetrics m) {
    sm.metrics(m);
  }

  /** Records handed to this partition and not applied yet (a gauge, read at scrape time). */
  public long pendingRecords() {
    return incoming.size();
  }

  /** Timers armed in memory and not fired yet. */
  public long armedTimers() {
    return armedTimers.get();
  }

  /**
   * Outbox messages not truncated yet (shipped ones wait for a truncation of 32); reads the store.
   */
  public long outboxDepth() {
    try (Store.Reader read = store.reader()) {
      Tables t = new Tables(partition).on(read);
      return t.meta("outbox") - t.meta("outbox_truncated");
    }
  }

  /** Stops applying; the shared executor is shut down (and awaited) by its owner. */
  public void stop() {
    stopped = true;
  }
}
