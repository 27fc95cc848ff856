package dev.resolute.server.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiPredicate;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * RocksDB-backed store. Batches are WriteBatchWithIndex (read-your-writes). The RocksDB WAL is on
 * but not synced: the log is the durable truth, and a lost tail is re-applied from it because the
 * applied LSN is written in the same batch.
 */
public final class RocksStore implements Store {
  static {
    RocksDB.loadLibrary();
  }

  private final RocksDB db;
  private final Options options;
  private final WriteOptions writeOptions = new WriteOptions();
  /** Shared by every read: a ReadOptions per get was a native allocation and free per call. */
  private final ReadOptions readOptions = new ReadOptions();

  private RocksStore(RocksDB db, Options options) {
    this.db = db;
    this.options = options;
  }

  public static RocksStore open(Path dir) {
    try {
      Files.createDirectories(dir);
      Options o = new Options().setCreateIfMissing(true).setIncreaseParallelism(2);
      return new RocksStore(RocksDB.open(o, dir.toString()), o);
    } catch (RocksDBException e) {
      String msg = e.getMessage() != null && e.getMessage().contains("lock")
          ? "RT0005: RocksDB at " + dir + " is locked by another process" : "cannot open RocksDB at " + dir;
      throw new IllegalStateException(msg + ": " + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public Batch begin() {
    WriteBatchWithIndex wb = new WriteBatchWithIndex(true);
    return new Batch() {
      @Override
      public byte[] get(byte[] key) {
        try {
          return wb.getFromBatchAndDB(db, readOptions, key);
        } catch (RocksDBException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void put(byte[] key, byte[] value) {
        try {
          wb.put(key, value);
        } catch (RocksDBException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void delete(byte[] key) {
        try {
          wb.delete(key);
        } catch (RocksDBException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void scan(byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        try (RocksIterator base = db.newIterator(readOptions);
            RocksIterator it = wb.newIteratorWithBase(base)) {
          iterate(it, prefix, visitor);
        }
      }

      @Override
      public void commit() {
        try {
          db.write(writeOptions, wb);
          wb.clear();
        } catch (RocksDBException e) {
          throw new IllegalStateException("RocksDB write failed", e);
        }
      }

      @Override
      public void close() {
        wb.close();
      }
    };
  }

  private static void iterate(RocksIterator it, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
    for (it.seek(prefix); it.isValid(); it.next()) {
      byte[] k = it.key();
      if (!Keys.startsWith(k, prefix)) {
        break;
      }
      if (!visitor.test(k, it.value())) {
        break;
      }
    }
  }

  @Override
  public Txn reader() {
    return begin();
  }

  @Override
  public void close() {
    db.close();
    options.close();
    writeOptions.close();
    readOptions.close();
  }
}
