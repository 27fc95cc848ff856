package dev.resolute.server.partition;

import dev.resolute.server.storage.MemoryStore;
import dev.resolute.server.storage.Store;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node's store in the simulation, durable as {@code RocksStore} is with its WAL off: committed
 * batches are visible at once, but survive a crash only once a {@link #flush} covered them. A crash
 * puts the store back to the last flush.
 */
final class SimStore implements Store {
  private MemoryStore live = new MemoryStore();
  private TreeMap<byte[], byte[]> durable = new TreeMap<>(Arrays::compareUnsigned);

  @Override
  public Batch begin() {
    return live.begin();
  }

  @Override
  public Reader reader() {
    return live.reader();
  }

  @Override
  public void flush() {
    durable = dump(live);
  }

  /** The process died: what was not flushed is gone. */
  void crash() {
    live = load(durable);
  }

  /** A copy of the durable content (what a restart would find). */
  MemoryStore durableCopy() {
    return load(durable);
  }

  @Override
  public void close() {}

  static TreeMap<byte[], byte[]> dump(Store s) {
    TreeMap<byte[], byte[]> out = new TreeMap<>(Arrays::compareUnsigned);
    try (Reader r = s.reader()) {
      r.scan(
          new byte[0],
          (k, v) -> {
            out.put(k, v);
            return true;
          });
    }
    return out;
  }

  static MemoryStore load(Map<byte[], byte[]> content) {
    MemoryStore m = new MemoryStore();
    try (Batch b = m.begin()) {
      content.forEach(b::put);
      b.commit();
    }
    return m;
  }
}
