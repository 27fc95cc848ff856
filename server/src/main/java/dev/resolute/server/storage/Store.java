package dev.resolute.server.storage;

/** The materialised view of the log: a key-value store with atomic batches. */
public interface Store extends AutoCloseable {
  /** A new batch transaction; nothing is visible to others until {@link Batch#commit()}. */
  Batch begin();

  /** A read-only view of committed data. */
  Txn reader();

  @Override
  void close();

  interface Batch extends Txn, AutoCloseable {
    void commit();

    @Override
    void close();
  }
}
