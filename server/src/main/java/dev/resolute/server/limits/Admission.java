package dev.resolute.server.limits;

import com.google.protobuf.ByteString;
import dev.resolute.server.pb.LimitQueued;
import dev.resolute.server.storage.Txn;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Admission of scoped invocations under the partition's rule book, kept entirely in the partition
 * store ({@link LimitTables}), so a replica that applies the same records — or a node that restarts
 * and replays them — reaches the same decisions: the only time is the record time passed in, and
 * every counter, bucket, queue entry and the round-robin ring are stored in the record's batch.
 *
 * <p>An invocation of scope {@code s} with limit key {@code a/b} holds one slot in each of its
 * counters {@code s}, {@code s/a}, {@code s/a/b} while it runs (from start to completion) and takes
 * one token from each counter's rate bucket when it starts. A counter is limited by the most
 * specific enabled rule of its depth ({@link RuleBook#resolve}); a counter no rule governs is
 * unlimited (but still counted, so a rule added later sees the invocations already running). One
 * that cannot start waits in the limit queue of its group (its most specific counter); the groups
 * are served round-robin, so a key with a long backlog cannot starve another key.
 *
 * <p>One instance per partition; it caches the parsed rule book by its stored bytes (a cache of
 * stored data only, so it never changes a decision).
 */
public final class Admission {

  /** What the state machine does for a queued invocation that may start now. */
  public interface Starter {
    /** True while {@code id} is still waiting at {@code seq} (not cancelled or killed). */
    boolean queued(byte[] id, long seq);

    /** Starts {@code id}: it now holds its slots. */
    void start(byte[] id);
  }

  /** A rate wake-up to arm: at record time {@code atMillis}, carried by the waiting {@code id}. */
  public record Wake(byte[] id, long atMillis) {}

  private final int partition;
  private byte[] cachedRaw;
  private RuleBook cachedBook = RuleBook.EMPTY;

  public Admission(int partition) {
    this.partition = partition;
  }

  public LimitTables tables(Txn txn) {
    return new LimitTables(partition, txn);
  }

  /** The book in force (cached by its stored bytes). */
  public RuleBook book(LimitTables t) {
    byte[] raw = t.rawBook();
    if (raw == null) {
      return RuleBook.EMPTY;
    }
    if (!Arrays.equals(raw, cachedRaw)) {
      cachedBook = RuleRecords.fromProto(LimitTables.parseBook(raw));
      cachedRaw = raw;
    }
    return cachedBook;
  }

  /** Replaces the book (after an applied batch). */
  public void putBook(LimitTables t, RuleBook book) {
    t.putBook(book);
  }

  /**
   * Takes the slots (and tokens) of a new invocation if it may start at {@code now}: nothing of its
   * group waits and every counter has room. False: the caller queues it ({@link #enqueue}).
   */
  public boolean tryAcquire(LimitTables t, String scope, String limitKey, long now) {
    List<LimitScope> counters = LimitScope.prefixes(scope, limitKey);
    String group = counters.get(counters.size() - 1).toString();
    if (t.hasWaiting(group)) {
      return false; // first in, first out within a group
    }
    RuleBook book = book(t);
    if (!mayStart(t, book, counters, now)) {
      return false;
    }
    take(t, book, counters, now, Long.MAX_VALUE);
    return true;
  }

  /** Queues an invocation behind its group; returns its sequence number. */
  public long enqueue(LimitTables t, byte[] id, String scope, String limitKey, long now) {
    List<LimitScope> counters = LimitScope.prefixes(scope, limitKey);
    long seq = t.nextMeta("qseq");
    t.push(
        counters.get(counters.size() - 1).toString(),
        seq,
        LimitQueued.newBuilder()
            .setInvocationId(ByteString.copyFrom(id))
            .setScope(scope)
            .setLimitKey(limitKey)
            .setQueuedAt(now)
            .build());
    return seq;
  }

  /** Frees the slots of an invocation that held them (it completed). */
  public void release(LimitTables t, String scope, String limitKey) {
    for (LimitScope c : LimitScope.prefixes(scope, limitKey)) {
      t.putRunning(c, t.running(c) - 1);
    }
  }

  /** Takes a waiting invocation out of the queue (it was cancelled or killed while waiting). */
  public void dequeue(LimitTables t, String scope, String limitKey, long seq) {
    List<LimitScope> counters = LimitScope.prefixes(scope, limitKey);
    t.remove(counters.get(counters.size() - 1).toString(), seq);
    // the pending wake-up may be carried by this invocation: the next admit arms a new one
    t.putMeta("wake", 0);
  }

  /** The rate wake-up armed for {@code now} has fired (or is stale): the next admit may re-arm. */
  public void woke(LimitTables t, long now) {
    long wake = t.meta("wake");
    if (wake != 0 && wake <= now) {
      t.putMeta("wake", 0);
    }
  }

  /**
   * Starts every waiting invocation that may start at {@code now}, serving the groups in ring order
   * (a served group moves to the back), until a whole round starts none. Returns the rate wake-up
   * to arm, if the earliest one a waiting invocation needs is not armed yet.
   */
  public Optional<Wake> admit(LimitTables t, long now, Starter starter) {
    RuleBook book = book(t);
    boolean progress = true;
    while (progress) {
      progress = false;
      for (String group : t.ring()) {
        LimitTables.Queued head = t.head(group);
        if (head == null) {
          continue;
        }
        LimitQueued e = head.entry();
        byte[] id = e.getInvocationId().toByteArray();
        if (!starter.queued(id, head.seq())) {
          t.remove(group, head.seq()); // a stale entry: its invocation left the queue
          progress = true;
          continue;
        }
        List<LimitScope> counters = LimitScope.prefixes(e.getScope(), e.getLimitKey());
        if (!mayStart(t, book, counters, now)) {
          continue;
        }
        take(t, book, counters, now, e.getQueuedAt());
        t.remove(group, head.seq());
        if (Arrays.equals(id, t.wakeCarrier())) {
          t.putMeta("wake", 0); // its timer will find it running and do nothing: re-arm
        }
        t.rotate(group);
        starter.start(id);
        progress = true;
      }
    }
    return nextWake(t, book, now);
  }

  private Optional<Wake> nextWake(LimitTables t, RuleBook book, long now) {
    Wake best = null;
    for (String group : t.ring()) {
      LimitTables.Queued head = t.head(group);
      if (head == null) {
        continue;
      }
      long at = now;
      boolean blockedByConcurrency = false;
      for (LimitScope c :
          LimitScope.prefixes(head.entry().getScope(), head.entry().getLimitKey())) {
        Optional<Rule> rule = book.resolve(c);
        if (rule.isEmpty()) {
          continue;
        }
        Limits l = rule.get().limits();
        if (l.concurrency() != null && t.running(c) >= l.concurrency()) {
          blockedByConcurrency = true; // a completion will admit it
        }
        if (l.ratePerSecond() != null) {
          at = Math.max(at, t.bucket(c).nextStartMillis(l, now));
        }
      }
      if (!blockedByConcurrency && at > now && (best == null || at < best.atMillis())) {
        best = new Wake(head.entry().getInvocationId().toByteArray(), at);
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    long armed = t.meta("wake");
    if (armed != 0 && armed >= now && armed <= best.atMillis()) {
      return Optional.empty(); // an earlier (or the same) wake-up is armed and will re-check
    }
    t.putMeta("wake", best.atMillis());
    t.putWakeCarrier(best.id());
    return Optional.of(best);
  }

  private static boolean mayStart(
      LimitTables t, RuleBook book, List<LimitScope> counters, long now) {
    for (LimitScope c : counters) {
      Optional<Rule> rule = book.resolve(c);
      if (rule.isEmpty()) {
        continue;
      }
      Limits l = rule.get().limits();
      if (l.concurrency() != null && t.running(c) >= l.concurrency()) {
        return false;
      }
      if (l.ratePerSecond() != null && !t.bucket(c).mayStart(l, now)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Takes a slot and a token of every counter; {@code waitingSince} is the queue time of a waiting
   * invocation ({@code Long.MAX_VALUE} for one that did not wait), see {@link TokenBucket#take(
   * Limits, long, long)}.
   */
  private static void take(
      LimitTables t, RuleBook book, List<LimitScope> counters, long now, long waitingSince) {
    for (LimitScope c : counters) {
      t.putRunning(c, t.running(c) + 1);
      Optional<Rule> rule = book.resolve(c);
      if (rule.isPresent() && rule.get().limits().ratePerSecond() != null) {
        Limits l = rule.get().limits();
        t.putBucket(c, t.bucket(c).take(l, now, waitingSince));
      }
    }
  }
}
