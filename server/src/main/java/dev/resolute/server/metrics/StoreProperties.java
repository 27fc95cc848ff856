package dev.resolute.server.metrics;

import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Reads the store's properties (or anything else from the store) for a scrape until closed; closing
 * waits for a read in progress, so no scrape touches RocksDB once the store starts closing (a
 * native call on a closed database crashes the JVM). The composition root closes it right before
 * the store.
 */
public final class StoreProperties implements RocksDbGauges.Properties, AutoCloseable {
  private final RocksDbGauges.Properties store;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  public StoreProperties(RocksDbGauges.Properties store) {
    this.store = store;
  }

  @Override
  public long get(String property) {
    return read(() -> store.get(property));
  }

  /** {@code f}'s value while the store is open (it may read the store), else -1. */
  public long read(java.util.function.LongSupplier f) {
    lock.readLock().lock();
    try {
      return closed ? -1 : f.getAsLong();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      closed = true;
    } finally {
      lock.writeLock().unlock();
    }
  }
}
