package dev.resolute.server.partition;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Node-local registry of ingress requests waiting for an effect of apply. */
public final class Replies {
  private final ConcurrentHashMap<Long, CompletableFuture<Answer>> waiting =
      new ConcurrentHashMap<>();
  private final AtomicLong next;

  /**
   * All ones for a single node; the bits of a cluster node's own counter (see {@link #forNode}).
   */
  private final long sequenceMask;

  private final long nodeBits;

  /**
   * Where waiters are completed: null = on the caller (the partition's actor), else handed to it. A
   * cold follower's reads catch partitions up and wait for their actors (see {@code
   * PartitionProcessor.hold}); a continuation of a waiter that reads (the rule book after a rule
   * batch, the schedules after a sync) must not run on an actor it waits for.
   */
  private volatile java.util.concurrent.Executor completer;

  public Replies() {
    this(System.nanoTime() & 0x3FFFFFFFFFFFL | 1);
  }

  /** Bits of a cluster node's waiter id below its node id. */
  static final int NODE_SHIFT = 47;

  /**
   * The waiters of cluster node {@code node} (1..65535): every id is {@code node << 47 | n}, so no
   * two nodes ever share an id, and the node's own part {@code n} starts at {@code startMicros}
   * (the wall clock at start, in microseconds, modulo 2^47: about 4.4 years) and counts up. A
   * restart starts above every id the previous run of the node handed out as long as that run took
   * fewer ids than microseconds passed (below a million requests per second), so a record appended
   * by the previous run and applied after the restart never answers a new waiter that reused its
   * id. The records that carry a waiter id need no node field: the id names the node that holds it,
   * and every other node's {@link #complete} finds no waiter under it.
   */
  public static Replies forNode(int node, long startMicros) {
    if (node < 1 || node > 65535) {
      throw new IllegalArgumentException("node id must be in 1..65535, got " + node);
    }
    long mask = (1L << NODE_SHIFT) - 1;
    return new Replies(((long) node << NODE_SHIFT) | (startMicros & mask), mask);
  }

  /** Request ids follow {@code first} (a simulation picks it, so a seed replays byte for byte). */
  public Replies(long first) {
    this(first, -1L);
  }

  private Replies(long first, long sequenceMask) {
    this.next = new AtomicLong(first);
    this.sequenceMask = sequenceMask;
    this.nodeBits = first & ~sequenceMask;
  }

  public long register(CompletableFuture<Answer> f) {
    long n = next.incrementAndGet();
    // a cluster node's ids wrap within its own range
    long id = sequenceMask == -1L ? n : nodeBits | (n & sequenceMask);
    waiting.put(id, f);
    f.whenComplete((r, e) -> waiting.remove(id));
    return id;
  }

  /** From now on, waiters are completed on {@code executor} (cold followers, see above). */
  public void completeOn(java.util.concurrent.Executor executor) {
    this.completer = executor;
  }

  /** Completes a waiter; a {@link Answer.Refused} answer completes it exceptionally. */
  void complete(long id, Answer answer) {
    CompletableFuture<Answer> f = waiting.get(id);
    if (f == null) {
      return;
    }
    java.util.concurrent.Executor e = completer;
    if (e != null) {
      e.execute(() -> completeNow(f, answer));
    } else {
      completeNow(f, answer);
    }
  }

  private static void completeNow(CompletableFuture<Answer> f, Answer answer) {
    if (answer instanceof Answer.Refused r) {
      f.completeExceptionally(r.error());
    } else {
      f.complete(answer);
    }
  }

  /** Requests still waiting (for metrics and tests). */
  public int size() {
    return waiting.size();
  }
}
