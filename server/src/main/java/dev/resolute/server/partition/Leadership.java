package dev.resolute.server.partition;

import dev.resolute.server.pb.AnnounceLeader;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.storage.Keys;
import dev.resolute.server.storage.Txn;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader epochs in apply: which node leads the partition, as announced in its log, and which
 * records are fenced because a stale leader appended them.
 *
 * <p>The rule, decided from the log alone (so every replica fences the same records):
 *
 * <ul>
 *   <li>{@code AnnounceLeader(e, n)} is applied when {@code e} is above the stored epoch; it then
 *       becomes the stored (epoch, node). Otherwise it is fenced: another node announced first.
 *   <li>A record with {@code leader_epoch} 0 is never fenced: records written before epochs
 *       existed, and records a node appends to a partition it does not lead (ingress or outbox
 *       messages in cluster mode, deduplicated by their own ids and sequence numbers).
 *   <li>A record with epoch {@code e > 0} is fenced when {@code e} is below the stored epoch, or
 *       equal to it from another node. A record above the stored epoch is applied: its leader
 *       appended it before its own announcement reached the log (records a node appends to a
 *       partition right when it takes it may overtake the announcement in the log's queue), and any
 *       later announcement by another node fences that leader from then on.
 * </ul>
 *
 * <p>A fenced record changes nothing but the applied LSN. The stored (epoch, node) is read once and
 * cached: a state machine applies to one store, and a batch that fails to commit stops the
 * partition.
 */
final class Leadership {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private final int partition;
  private final byte[] key;

  /** The stored epoch and node; {@code epoch < 0} until first read. */
  private long epoch = -1;

  private int node;
  private long fenced;
  private long lastLoggedEpoch = -1;
  private int lastLoggedNode = -1;

  Leadership(int partition) {
    this.partition = partition;
    this.key = Keys.of(partition, Keys.META).str("leader").build();
  }

  /** The stored leader epoch of {@code partition} (0 before any announcement). */
  static long epoch(Txn txn, int partition) {
    byte[] v = txn.get(Keys.of(partition, Keys.META).str("leader").build());
    return v == null ? 0 : ByteBuffer.wrap(v).getLong();
  }

  /**
   * Applies an {@code AnnounceLeader} or checks a leader's record; true when the record is fenced
   * and must not be applied further.
   */
  boolean fence(Txn txn, long lsn, Envelope env) {
    load(txn);
    if (env.getRecordCase() == Envelope.RecordCase.ANNOUNCE_LEADER) {
      AnnounceLeader a = env.getAnnounceLeader();
      if (a.getEpoch() > epoch) {
        epoch = a.getEpoch();
        node = a.getNode();
        txn.put(key, ByteBuffer.allocate(12).putLong(epoch).putInt(node).array());
        LOG.debug(
            "partition {}: node {} leads from epoch {} (lsn {})", partition, node, epoch, lsn);
        return false;
      }
      return fenced(lsn, env, a.getEpoch(), a.getNode());
    }
    long e = env.getLeaderEpoch();
    if (e == 0 || e > epoch || (e == epoch && env.getLeaderNode() == node)) {
      return false;
    }
    return fenced(lsn, env, e, env.getLeaderNode());
  }

  private boolean fenced(long lsn, Envelope env, long e, int n) {
    fenced++;
    if (e != lastLoggedEpoch || n != lastLoggedNode) {
      lastLoggedEpoch = e;
      lastLoggedNode = n;
      LOG.warn(
          "partition {}: ignoring records of fenced leader (epoch {}, node {}) from lsn {} ({}):"
              + " node {} leads in epoch {}",
          partition,
          e,
          n,
          lsn,
          env.getRecordCase(),
          node,
          epoch);
    }
    return true;
  }

  /** The stored epoch (loading it from {@code txn} if not cached yet). */
  long epoch(Txn txn) {
    load(txn);
    return epoch;
  }

  /** The node of the stored epoch (0 before any announcement). */
  int node(Txn txn) {
    load(txn);
    return node;
  }

  /** Forgets the cached epoch and node: the store's keys were replaced under the state machine. */
  void forget() {
    epoch = -1;
    node = 0;
  }

  /** Records fenced since this state machine was created (for logs, metrics and tests). */
  long fencedRecords() {
    return fenced;
  }

  private void load(Txn txn) {
    if (epoch < 0) {
      byte[] v = txn.get(key);
      if (v == null) {
        epoch = 0;
        node = 0;
      } else {
        ByteBuffer b = ByteBuffer.wrap(v);
        epoch = b.getLong();
        node = b.getInt();
      }
    }
  }
}
