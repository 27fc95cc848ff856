package dev.resolute.server.storage;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiPredicate;

/** An in-memory store for unit tests of the state machine. */
public final class MemoryStore implements Store {
  private final ConcurrentSkipListMap<byte[], byte[]> data =
      new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
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

  /** A copy of the committed data: a consistent view that later commits do not change. */
  @Override
  public Reader reader() {
    TreeMap<byte[], byte[]> view = new TreeMap<>(Arrays::compareUnsigned);
    view.putAll(data);
    return new Reader() {
      private boolean closed;

      @Override
      public byte[] get(byte[] key) {
        open();
        return view.get(key);
      }

      @Override
      public void scan(byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        open();
        for (Map.Entry<byte[], byte[]> e : view.tailMap(prefix).entrySet()) {
          if (!Keys.startsWith(e.getKey(), prefix) || !visitor.test(e.getKey(), e.getValue())) {
            break;
          }
        }
      }

      private void open() {
        if (closed) {
          throw new IllegalStateException("store reader used after close");
        }
      }

      @Override
      public void close() {
        closed = true;
        view.clear();
      }
    };
  }

  @Override
  public void close() {}

  @Override
  public void flush() {
    // nothing to make durable: this store lives in memory only (unit tests)
  }
}
