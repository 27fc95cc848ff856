package dev.resolute.server.storage;

/** The materialised view of the log: a key-value store with atomic batches. */
public interface Store extends AutoCloseable {
  /** A new batch transaction; nothing is visible to others until {@link Batch#commit()}. */
  Batch begin();

  /** A read-only view of committed data. */
  Txn reader();

  /**
   * Makes every batch committed before this call durable (on disk, surviving a crash) and returns
   * once it is. Committed batches are otherwise not necessarily durable: the log is the truth and
   * records after a partition's durable applied LSN are applied again on start; the log may only
   * be trimmed below what a flush has made durable.
   */
  void flush();

  @Override
  void close();

  interface Batch extends Txn, AutoCloseable {
    void commit();

    @Override
    void close();
  }
}
