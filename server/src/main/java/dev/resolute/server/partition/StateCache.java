package dev.resolute.server.partition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The whole state of recently used objects of one partition, so that starting an attempt on a keyed
 * target (which sends the object's full state eagerly) does not open a RocksDB iterator per
 * invocation: that scan was ~10 % of the node's CPU on a hot-key Kafka subscription.
 *
 * <p>Invariant: an object that is cached holds exactly what the partition's store holds (committed
 * or in the record batch being applied). It is kept by {@link Tables}, the only writer of the state
 * table, which updates it on every put and delete; a store that is replaced must start a new cache.
 * A failed apply stops the partition (see {@code PartitionProcessor.drain}), so a batch that is
 * never committed never leaves its writes behind here.
 *
 * <p>Bounded: objects whose state is larger than {@link #MAX_OBJECT_BYTES} are not cached, and the
 * least recently used objects are dropped past {@link #MAX_BYTES} in all. Deterministic in what it
 * answers (always the store's content); only the hit rate depends on history.
 */
final class StateCache {
  static final int MAX_OBJECT_BYTES = 16 * 1024;
  static final long MAX_BYTES = 2L * 1024 * 1024;
  private static final int ENTRY_OVERHEAD = 48;

  /**
   * What an object costs besides its entries: an object with no state is cached too, and must count
   * towards {@link #MAX_BYTES}, or a workload of new keys without state would grow the cache
   * forever.
   */
  private static final int OBJECT_OVERHEAD = 96;

  /** One object: its entries ordered as the store orders its keys, and their size. */
  private static final class Obj {
    final TreeMap<byte[], byte[][]> entries = new TreeMap<>(Arrays::compareUnsigned);
    long bytes;
  }

  private record Ref(String service, String key) {}

  private final LinkedHashMap<Ref, Obj> objects = new LinkedHashMap<>(256, 0.75f, true);
  private long bytes;
  private long hits;
  private long misses;

  /** The cached entries {name, value} in store order, or null when this object is not cached. */
  List<byte[][]> get(String service, String key) {
    Obj o = objects.get(new Ref(service, key));
    if (o == null) {
      misses++;
      return null;
    }
    hits++;
    return new ArrayList<>(o.entries.values());
  }

  /**
   * Whether the object is cached; then {@code value} holds its value of {@code storeKey} (null:
   * absent).
   */
  boolean lookup(String service, String key, byte[] storeKey, byte[][] value) {
    Obj o = objects.get(new Ref(service, key));
    if (o == null) {
      return false;
    }
    byte[][] e = o.entries.get(storeKey);
    value[0] = e == null ? null : e[1];
    return true;
  }

  /**
   * Caches what a full scan of the object returned ({@code storeKeys[i]} holds {@code entries[i]}).
   */
  void fill(String service, String key, List<byte[]> storeKeys, List<byte[][]> entries) {
    Obj o = new Obj();
    o.bytes = OBJECT_OVERHEAD + 2L * (service.length() + key.length());
    for (int i = 0; i < entries.size(); i++) {
      byte[][] e = entries.get(i);
      o.entries.put(storeKeys.get(i), e);
      o.bytes += size(storeKeys.get(i), e[1]);
      if (o.bytes > MAX_OBJECT_BYTES) {
        return;
      }
    }
    Obj old = objects.put(new Ref(service, key), o);
    bytes += o.bytes - (old == null ? 0 : old.bytes);
    evict();
  }

  void put(String service, String key, byte[] storeKey, byte[] name, byte[] value) {
    Ref ref = new Ref(service, key);
    Obj o = objects.get(ref);
    if (o == null) {
      return;
    }
    byte[][] old = o.entries.put(storeKey, new byte[][] {name, value});
    long delta = size(storeKey, value) - (old == null ? 0 : size(storeKey, old[1]));
    o.bytes += delta;
    bytes += delta;
    if (o.bytes > MAX_OBJECT_BYTES) {
      objects.remove(ref);
      bytes -= o.bytes;
    }
    evict();
  }

  void delete(String service, String key, byte[] storeKey) {
    Obj o = objects.get(new Ref(service, key));
    if (o == null) {
      return;
    }
    byte[][] old = o.entries.remove(storeKey);
    if (old != null) {
      long delta = size(storeKey, old[1]);
      o.bytes -= delta;
      bytes -= delta;
    }
  }

  /** How many entries the object has, or -1 when it is not cached. */
  int size(String service, String key) {
    Obj o = objects.get(new Ref(service, key));
    return o == null ? -1 : o.entries.size();
  }

  /** Forgets everything (a store replaced under the partition). */
  void clear() {
    objects.clear();
    bytes = 0;
  }

  long hits() {
    return hits;
  }

  long misses() {
    return misses;
  }

  long bytes() {
    return bytes;
  }

  int objects() {
    return objects.size();
  }

  private void evict() {
    Iterator<Map.Entry<Ref, Obj>> it = objects.entrySet().iterator();
    while (bytes > MAX_BYTES && it.hasNext()) {
      bytes -= it.next().getValue().bytes;
      it.remove();
    }
  }

  private static long size(byte[] storeKey, byte[] value) {
    return (long) storeKey.length + Objects.requireNonNull(value).length + ENTRY_OVERHEAD;
  }
}
