package dev.resolute.server.storage;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiPredicate;

/** An in-memory store for unit tests of the state machine. */
public final class MemoryStore implements Store {
  private final ConcurrentSkipListMap<byte[], byte[]> data = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
  private static final byte[] TOMBSTONE = new byte[0];

  @Override
  public Batch begin() {
    TreeMap<byte[], byte[]> writes = new TreeMap<>(Arrays::compareUnsigned);
    return new Batch() {
      @Override
      public byte[] get(byte[] key) {
        byte[] w = writes.get(key);
        if (w != null) {
          return w == TOMBSTONE ? null : w;
        }
        return data.get(key);
      }

      @Override
      public void put(byte[] key, byte[] value) {
        writes.put(key, value);
      }

      @Override
      public void delete(byte[] key) {
        writes.put(key, TOMBSTONE);
      }

      @Override
      public void scan(byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        TreeMap<byte[], byte[]> merged = new TreeMap<>(Arrays::compareUnsigned);
        merged.putAll(data.tailMap(prefix));
        merged.putAll(writes.tailMap(prefix));
        for (Map.Entry<byte[], byte[]> e : merged.entrySet()) {
          if (!Keys.startsWith(e.getKey(), prefix)) {
            break;
          }
          if (e.getValue() == TOMBSTONE) {
            continue;
          }
          if (!visitor.test(e.getKey(), e.getValue())) {
            break;
          }
        }
      }

      @Override
      public void commit() {
        for (Map.Entry<byte[], byte[]> e : writes.entrySet()) {
          if (e.getValue() == TOMBSTONE) {
            data.remove(e.getKey());
          } else {
            data.put(e.getKey(), e.getValue());
          }
        }
        writes.clear();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public Txn reader() {
    return begin();
  }

  @Override
  public void close() {}

  @Override
  public void flush() {
    // nothing to make durable: this store lives in memory only (unit tests)
  }
}
