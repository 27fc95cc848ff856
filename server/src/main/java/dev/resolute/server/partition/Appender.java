package dev.resolute.server.partition;

import dev.resolute.server.log.Log;
import dev.resolute.server.pb.Envelope;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Stamps records with the appender's clock (the only wall-clock time apply ever sees) and with the
 * leader epoch this node holds for the record's partition (0 for a partition it does not lead), and
 * appends. One per node: every record a node appends goes through it.
 */
public final class Appender {
  private final Log log;
  private final Clock clock;
  private final int node;

  /** False for {@link #forClients()}: its records never carry an epoch. */
  private final boolean leaderRecords;

  /**
   * The epoch this node leads each partition under, by partition; 0 = not leading. Replaced whole
   * (copy on write) by {@link #lead}, which is rare; read by every append.
   */
  private volatile long[] epochs = new long[0];

  public Appender(Log log, Clock clock) {
    this(log, clock, 0);
  }

  /**
   * @param node this node's id, stamped beside the epoch so two nodes that announced the same epoch
   *     are told apart (a single node is node 0)
   */
  public Appender(Log log, Clock clock, int node) {
    this(log, clock, node, true);
  }

  private Appender(Log log, Clock clock, int node, boolean leaderRecords) {
    this.log = log;
    this.clock = clock;
    this.node = node;
    this.leaderRecords = leaderRecords;
  }

  /**
   * An appender for records that are not a leader's own: what a client asked for (ingress, admin,
   * Kafka subscriptions) and outbox messages shipped to another partition. They carry epoch 0
   * whichever partitions this node leads, so they are never fenced. Any node of a cluster may
   * append them to any partition, and each is deduplicated by its own ids (invocation id,
   * idempotency key, producer offsets), not by who led; a paused old leader's ingress record is
   * applied like any other node's, so its client still gets an answer.
   */
  public Appender forClients() {
    return new Appender(log, clock, node, false);
  }

  public CompletableFuture<Long> append(int partition, Envelope env) {
    Envelope stamped = stamp(partition, env, clock.millis());
    return log.appendDecoded(
        partition, List.of(stamped.toByteArray()), List.of(stamped), leaderRecords);
  }

  /**
   * Appends records of one partition as one group (same commit, consecutive LSNs), stamped alike.
   */
  public CompletableFuture<Long> appendAll(int partition, List<Envelope> envs) {
    long now = clock.millis();
    List<byte[]> payloads = new ArrayList<>(envs.size());
    List<Envelope> stamped = new ArrayList<>(envs.size());
    for (Envelope env : envs) {
      Envelope e = stamp(partition, env, now);
      stamped.add(e);
      payloads.add(e.toByteArray());
    }
    return log.appendDecoded(partition, payloads, stamped, leaderRecords);
  }

  /**
   * This node is about to announce itself leader of {@code partition}: where the log fences leaders
   * itself, its leader records of the partition go through a new session from now on, and every
   * earlier leader's later records are refused (see {@link Log#openLeaderSession}).
   */
  public void openLeaderSession(int partition) {
    log.openLeaderSession(partition);
  }

  /**
   * Always sets both leader fields, so an envelope built from another record (an outbox message)
   * never carries that record's epoch into this partition.
   */
  private Envelope stamp(int partition, Envelope env, long now) {
    long epoch = leaderRecords ? epoch(partition) : 0;
    return env.toBuilder()
        .setTimestampMillis(now)
        .setLeaderEpoch(epoch)
        .setLeaderNode(epoch == 0 ? 0 : node)
        .build();
  }

  /**
   * From now on, records this node appends to {@code partition} carry {@code epoch}. Called by the
   * partition's leader right before it appends its {@code AnnounceLeader}.
   */
  public synchronized void lead(int partition, long epoch) {
    long[] e = epochs;
    long[] next = Arrays.copyOf(e, Math.max(e.length, partition + 1));
    next[partition] = epoch;
    epochs = next;
  }

  /** The epoch this node leads {@code partition} under; 0 if it does not lead it. */
  public long epoch(int partition) {
    long[] e = epochs;
    return partition < e.length ? e[partition] : 0;
  }

  public int node() {
    return node;
  }

  public long now() {
    return clock.millis();
  }

  /** The appender's clock in microseconds since the epoch (for arming timers precisely). */
  public long nowMicros() {
    java.time.Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
  }
}
