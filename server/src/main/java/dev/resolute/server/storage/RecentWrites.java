package dev.resolute.server.storage;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The values of keys recently written by committed batches, small ones only, so that a batch's read
 * of a key written a moment ago (an invocation's status, an object's lock and inbox bounds, a
 * sequence number) needs no native call into RocksDB. A deleted key is remembered as deleted.
 *
 * <p>Write-through only: entries come from commits, after RocksDB took the batch, never from reads,
 * so an entry is never older than the store's value of its key. A key's writes and reads come from
 * its partition's thread, one at a time. A large value removes its key instead of being kept.
 *
 * <p>Two generations bound the memory: when the young one holds {@link #GENERATION} keys it becomes
 * the old one and the previous old one is dropped. A read looks in the young one first.
 */
final class RecentWrites {
  /** Keys per generation: at most twice this many are kept. */
  static final int GENERATION = 8192;

  /** Values larger than this are not kept (journal entries with payloads, big statuses). */
  static final int MAX_VALUE_BYTES = 512;

  /** Returned by {@link #get} for a key the cache knows nothing of. */
  static final byte[] UNKNOWN = new byte[0];

  private static final byte[] DELETED = new byte[0];

  private volatile Map<ByteBuffer, byte[]> young = generation();
  private volatile Map<ByteBuffer, byte[]> old = generation();
  private final AtomicInteger youngSize = new AtomicInteger();

  /** The value of {@code key}, null if deleted, {@link #UNKNOWN} if not known here. */
  byte[] get(byte[] key) {
    ByteBuffer k = ByteBuffer.wrap(key);
    byte[] v = young.get(k);
    if (v == null) {
      v = old.get(k);
    }
    if (v == null) {
      return UNKNOWN;
    }
    return v == DELETED ? null : v;
  }

  /** A committed write: {@code value} null for a delete. */
  void written(byte[] key, byte[] value) {
    ByteBuffer k = ByteBuffer.wrap(key);
    if (value != null && value.length > MAX_VALUE_BYTES) {
      young.remove(k);
      old.remove(k);
      return;
    }
    Map<ByteBuffer, byte[]> y = young;
    if (y.put(k, value == null ? DELETED : value) == null
        && youngSize.incrementAndGet() >= GENERATION) {
      rotate(y);
    }
    // an older value of the key in the old generation is shadowed by the young one; if the young
    // one rotates away first, the old one goes with it (rotation drops the old generation)
  }

  private synchronized void rotate(Map<ByteBuffer, byte[]> full) {
    if (young != full) {
      return; // another thread rotated it already
    }
    old = full;
    young = generation();
    youngSize.set(0);
  }

  /** Forgets everything (the store was changed other than by batches). */
  synchronized void clear() {
    young = generation();
    old = generation();
    youngSize.set(0);
  }

  /**
   * A generation's map, sized for {@link #GENERATION} keys at once: grown from the default 16 it
   * was resized nine times per generation on the commit path (~2 % of the node's CPU under
   * counter-1000 was in its puts).
   */
  private static Map<ByteBuffer, byte[]> generation() {
    return new ConcurrentHashMap<>(GENERATION);
  }
}
