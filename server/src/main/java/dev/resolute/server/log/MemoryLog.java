package dev.resolute.server.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A partitioned log in memory, for tests and the deterministic simulation: the log that several
 * nodes share (as they will share a Kafka topic), with each node's view of it a {@link Log}.
 *
 * <p>Nothing happens by itself; the caller decides, step by step, what the log does:
 *
 * <ul>
 *   <li>an append is <em>pending</em> in its channel, the (node, partition) it was appended by and
 *       to, until {@link #commit} makes it durable: it gets the next LSN and its future completes.
 *       A channel commits in append order (one producer's records to one partition keep their
 *       order, as in {@code LocalLog} and a Kafka partition), channels in any order the caller
 *       picks: that is how deliveries between partitions are delayed and reordered. A group of
 *       {@link Log#appendAll} commits whole;
 *   <li>a committed record reaches a view's consumers only when {@link View#deliver} is called, in
 *       LSN order, so a node can lag behind the log;
 *   <li>{@link View#crash} drops the view's pending appends (their futures never complete, as in a
 *       process that died) and stops it; committed records stay.
 * </ul>
 *
 * <p>Single-threaded: every method is called by the test's (or simulation's) one thread.
 */
public final class MemoryLog {
  /** A committed record. */
  public record Entry(int partition, long lsn, byte[] payload) {}

  /** Where pending appends wait: one producer (node) and one partition. */
  public record Channel(int node, int partition) {}

  private record Pending(List<byte[]> payloads, CompletableFuture<Long> done) {}

  private final int partitions;
  private final List<Entry> committed = new ArrayList<>();
  private final Map<Channel, ArrayDeque<Pending>> pending = new LinkedHashMap<>();

  public MemoryLog(int partitions) {
    this.partitions = partitions;
  }

  /** A node's view: its appends are its own channels; it delivers committed records to itself. */
  public View view(int node) {
    return new View(node);
  }

  /** Every committed record, in LSN order (LSNs start at 1 and have no gaps). */
  public List<Entry> committed() {
    return Collections.unmodifiableList(committed);
  }

  public long lastLsn() {
    return committed.size();
  }

  /** Channels holding pending appends, in the order they first received one. */
  public List<Channel> pendingChannels() {
    List<Channel> out = new ArrayList<>();
    pending.forEach(
        (c, q) -> {
          if (!q.isEmpty()) {
            out.add(c);
          }
        });
    return out;
  }

  /** Appends not committed yet (a group counts once). */
  public int pendingCount() {
    int n = 0;
    for (ArrayDeque<Pending> q : pending.values()) {
      n += q.size();
    }
    return n;
  }

  /**
   * Commits the oldest {@code groups} pending appends of {@code channel} (fewer if it holds fewer):
   * each gets its LSNs and its future completes. Returns how many were committed.
   */
  public int commit(Channel channel, int groups) {
    ArrayDeque<Pending> q = pending.get(channel);
    int n = 0;
    while (q != null && n < groups && !q.isEmpty()) {
      Pending p = q.poll();
      for (byte[] payload : p.payloads()) {
        committed.add(new Entry(channel.partition(), committed.size() + 1, payload));
      }
      n++;
      p.done().complete((long) committed.size());
    }
    return n;
  }

  /** Commits every pending append, channel by channel. */
  public void commitAll() {
    for (Channel c : pendingChannels()) {
      commit(c, Integer.MAX_VALUE);
    }
  }

  /** One node's view of the log. */
  public final class View implements Log {
    private final int node;
    private final RecordConsumer[] consumers = new RecordConsumer[partitions];
    private int delivered;
    private boolean stopped;

    private View(int node) {
      this.node = node;
    }

    @Override
    public CompletableFuture<Long> append(int partition, byte[] payload) {
      return appendAll(partition, List.of(payload));
    }

    @Override
    public CompletableFuture<Long> appendAll(int partition, List<byte[]> payloads) {
      if (stopped) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("the log view of node " + node + " is stopped"));
      }
      if (partition < 0 || partition >= partitions) {
        throw new IllegalArgumentException("no partition " + partition);
      }
      CompletableFuture<Long> done = new CompletableFuture<>();
      pending
          .computeIfAbsent(new Channel(node, partition), c -> new ArrayDeque<>())
          .add(new Pending(List.copyOf(payloads), done));
      return done;
    }

    /**
     * Delivers every committed record after the applied LSNs; later ones go to {@link #deliver}.
     */
    @Override
    public void replay(long[] appliedLsn, RecordConsumer consumer) {
      for (Entry e : committed) {
        if (e.lsn() > appliedLsn[e.partition()]) {
          consumer.accept(e.partition(), e.lsn(), e.payload());
        }
      }
      delivered = committed.size();
    }

    @Override
    public void subscribe(int partition, RecordConsumer consumer) {
      consumers[partition] = consumer;
    }

    /**
     * Hands up to {@code max} committed records not yet delivered to this view to their partitions'
     * consumers, in LSN order; returns how many.
     */
    public int deliver(int max) {
      int n = 0;
      while (!stopped && n < max && delivered < committed.size()) {
        Entry e = committed.get(delivered++);
        RecordConsumer c = consumers[e.partition()];
        if (c != null) {
          c.accept(e.partition(), e.lsn(), e.payload());
        }
        n++;
      }
      return n;
    }

    /** Committed records this view has not delivered yet. */
    public int undelivered() {
      return stopped ? 0 : committed.size() - delivered;
    }

    public int node() {
      return node;
    }

    /**
     * The node died: its pending appends are dropped without completing, nothing more is delivered
     * and every later append fails.
     */
    public void crash() {
      stopped = true;
      for (int p = 0; p < partitions; p++) {
        ArrayDeque<Pending> q = pending.get(new Channel(node, p));
        if (q != null) {
          q.clear();
        }
      }
    }

    /** A clean stop: pending appends are committed first (the node waited for them). */
    @Override
    public void close() {
      for (int p = 0; p < partitions; p++) {
        commit(new Channel(node, p), Integer.MAX_VALUE);
      }
      stopped = true;
    }
  }
}
