package dev.resolute.server.storage;

/** The materialised view of the log: a key-value store with atomic batches. */
public interface Store extends AutoCloseable {
  /** A new batch transaction; nothing is visible to others until {@link Batch#commit()}. */
  Batch begin();

  /**
   * A read-only, consistent view of the data committed before this call: batches committed while it
   * is open stay invisible to it. It holds store resources (a RocksDB snapshot) until closed, so
   * every caller closes it (try-with-resources).
   */
  Reader reader();

  /**
   * Makes every batch committed before this call durable (on disk, surviving a crash) and returns
   * once it is. Committed batches are otherwise not necessarily durable: the log is the truth and
   * records after a partition's durable applied LSN are applied again on start; the log may only be
   * trimmed below what a flush has made durable.
   */
  void flush();

  @Override
  void close();

  /** A snapshot of committed data; {@link #put} and {@link #delete} throw. */
  interface Reader extends Txn, AutoCloseable {
    @Override
    default void put(byte[] key, byte[] value) {
      throw new UnsupportedOperationException("a store reader is read-only");
    }

    @Override
    default void delete(byte[] key) {
      throw new UnsupportedOperationException("a store reader is read-only");
    }

    /** Releases the snapshot; the reader must not be used afterwards. */
    @Override
    void close();
  }

  interface Batch extends Txn, AutoCloseable {
    void commit();

    @Override
    void close();
  }
}
