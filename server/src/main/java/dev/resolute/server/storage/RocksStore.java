package dev.resolute.server.storage;

import dev.resolute.server.api.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiPredicate;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.FlushOptions;
import org.rocksdb.MutableColumnFamilyOptions;
import org.rocksdb.MutableDBOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * RocksDB-backed store. Batches are WriteBatchWithIndex (read-your-writes).
 *
 * <p>The RocksDB WAL is off: the log is the durable truth, every batch carries the applied LSN of
 * its partition, and RocksDB persists memtables atomically (one column family), so after a crash
 * the store is a consistent earlier state and the records after its applied LSNs are applied again
 * from the log (at most one memtable's worth). A clean close flushes the memtables. The WAL cost a
 * write system call and as many bytes on disk again as the log itself for every batch.
 *
 * <p>Point reads of new invocation ids mostly miss: a bloom filter answers those without reading
 * data blocks. Prefix scans set an upper bound so they stop at the prefix instead of stepping over
 * the tombstones of deleted neighbours (finished invocations' journals).
 */
public final class RocksStore implements Store {
  static {
    RocksDB.loadLibrary();
  }

  private final RocksDB db;
  private final Options options;
  private final WriteOptions writeOptions = new WriteOptions().setDisableWAL(true);

  /** Shared by every read: a ReadOptions per get was a native allocation and free per call. */
  private final ReadOptions readOptions = new ReadOptions();

  /**
   * Opens the store in {@code dir} read-only (a snapshot's checkpoint, or a store whose applied
   * positions are checked before the node opens it): reads work, batches fail.
   */
  public static RocksStore openReadOnly(Path dir) {
    Options o = options().setCreateIfMissing(false);
    try {
      return new RocksStore(RocksDB.openReadOnly(o, dir.toString()), o);
    } catch (RocksDBException e) {
      o.close();
      throw new IllegalStateException("cannot open RocksDB at " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a RocksDB checkpoint of the store into {@code dir} (which must not exist): the memtables
   * are flushed, then the live files are hard-linked (copied across file systems) with a manifest
   * of their own, so {@code dir} is a store as of that flush that opens on its own. Each batch is
   * in it whole or not at all, with the applied LSN of its partition (every batch carries it), so
   * the checkpoint's applied LSNs say exactly what it covers. Writes go on meanwhile.
   */
  public void checkpoint(Path dir) {
    flush();
    try (org.rocksdb.Checkpoint c = org.rocksdb.Checkpoint.create(db)) {
      c.createCheckpoint(dir.toString());
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB checkpoint failed: " + e.getMessage(), e);
    }
  }

  /**
   * Loads RocksDB's native library (this class's initialisation) now, on the calling thread: a
   * start calls it on a thread of its own while it binds its ports, so {@link #open} does not wait
   * for the library. Safe to call from any number of threads (the JVM initialises a class once; a
   * thread that needs it meanwhile waits).
   */
  public static void loadLibrary() {
    // nothing: calling a static method initialised the class
  }

  private RocksStore(RocksDB db, Options options) {
    this.db = db;
    this.options = options;
  }

  public static RocksStore open(Path dir) {
    try {
      Files.createDirectories(dir);
      Options o = options();
      return new RocksStore(RocksDB.open(o, dir.toString()), o);
    } catch (RocksDBException e) {
      String msg =
          e.getMessage() != null && e.getMessage().contains("lock")
              ? ErrorCode.RT0005.code() + ": RocksDB at " + dir + " is locked by another process"
              : "cannot open RocksDB at " + dir;
      throw new IllegalStateException(msg + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The options {@link #open} opens a store with (the caller owns and closes them); {@code
   * RocksOpenMeasure} measures an open with these and one variant.
   */
  static Options options() {
    return new Options()
        .setCreateIfMissing(true)
        .setIncreaseParallelism(2)
        .setAvoidFlushDuringShutdown(false)
        // opened with compactions off, turned on by resumeCompactions() once the node is up
        .setDisableAutoCompactions(true)
        .setTableFormatConfig(
            new BlockBasedTableConfig()
                .setFilterPolicy(new BloomFilter(10, false))
                .setWholeKeyFiltering(true))
        .setMemtablePrefixBloomSizeRatio(0.02)
        .setMemtableWholeKeyFiltering(true);
  }

  /**
   * Turns automatic compaction on. The store opens with it off: every clean stop flushes the
   * memtable into one more level-0 file, so a restart usually found the compaction trigger reached
   * and compacted the whole store (a full run's 30 MB: 4 level-0 files into the last level) on the
   * second core while the node started and took its first requests. The composition root calls this
   * a few seconds after start; RocksDB then catches up in the background.
   */
  public void resumeCompactions() {
    try {
      db.setOptions(MutableColumnFamilyOptions.builder().setDisableAutoCompactions(false).build());
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot turn RocksDB compactions on", e);
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
        byte[] end = Keys.prefixEnd(prefix);
        if (end == null) {
          try (RocksIterator base = db.newIterator(readOptions);
              RocksIterator it = wb.newIteratorWithBase(base)) {
            iterate(it, prefix, visitor);
          }
          return;
        }
        try (Slice upper = new Slice(end);
            ReadOptions ro = new ReadOptions().setIterateUpperBound(upper);
            RocksIterator base = db.newIterator(ro);
            RocksIterator it = wb.newIteratorWithBase(base)) {
          iterate(it, prefix, visitor);
        }
      }

      @Override
      public void scanFrom(byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor) {
        byte[] end = Keys.prefixEnd(prefix);
        try (Slice upper = end == null ? null : new Slice(end);
            ReadOptions ro =
                upper == null ? new ReadOptions() : new ReadOptions().setIterateUpperBound(upper);
            RocksIterator base = db.newIterator(ro);
            RocksIterator it = wb.newIteratorWithBase(base)) {
          for (it.seek(from); it.isValid(); it.next()) {
            byte[] k = it.key();
            if (!Keys.startsWith(k, prefix) || !visitor.test(k, it.value())) {
              break;
            }
          }
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

  private static void iterate(
      RocksIterator it, byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
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

  /**
   * A reader on a RocksDB snapshot: its point reads and scans all see the store as it was when it
   * was opened. Closing releases the snapshot (which otherwise pins old versions of every key it
   * covers and keeps compaction from dropping them) and its ReadOptions.
   */
  @Override
  public Reader reader() {
    Snapshot snapshot = db.getSnapshot();
    ReadOptions ro = new ReadOptions().setSnapshot(snapshot);
    return new Reader() {
      private boolean closed;

      @Override
      public byte[] get(byte[] key) {
        open();
        try {
          return db.get(ro, key);
        } catch (RocksDBException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void scan(byte[] prefix, BiPredicate<byte[], byte[]> visitor) {
        scanFrom(prefix, prefix, visitor);
      }

      @Override
      public void scanFrom(byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor) {
        open();
        byte[] end = Keys.prefixEnd(prefix);
        try (Slice upper = end == null ? null : new Slice(end);
            ReadOptions scanOptions = new ReadOptions().setSnapshot(snapshot);
            RocksIterator it =
                db.newIterator(
                    upper == null ? scanOptions : scanOptions.setIterateUpperBound(upper))) {
          for (it.seek(from); it.isValid(); it.next()) {
            byte[] k = it.key();
            if (!Keys.startsWith(k, prefix) || !visitor.test(k, it.value())) {
              break;
            }
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
        if (!closed) {
          closed = true;
          ro.close();
          db.releaseSnapshot(snapshot);
        }
      }
    };
  }

  /** Snapshots currently held by open readers (RocksDB's {@code rocksdb.num-snapshots}). */
  long openSnapshots() {
    try {
      return db.getLongProperty("rocksdb.num-snapshots");
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes the memtables to SST files and waits: with the WAL off, this is what makes committed
   * batches durable (RocksDB syncs the new files and its manifest). Concurrent writes go on into a
   * new memtable.
   */
  @Override
  public void flush() {
    try (FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
      db.flush(f);
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB flush failed", e);
    }
  }

  /**
   * An integer property of the store ({@code rocksdb.…}), or -1 when RocksDB has none by that name.
   * Must not be called once the store is closed (the node's metrics stop reading before it closes).
   */
  public long longProperty(String name) {
    try {
      return db.getLongProperty(name);
    } catch (RocksDBException e) {
      return -1;
    }
  }

  /**
   * Closes the store without making its memtables durable, as a crash (SIGKILL) would leave it:
   * every batch committed since the last flush is gone on the next open. For tests of recovery.
   */
  public void closeAsIfCrashed() {
    try {
      db.setDBOptions(MutableDBOptions.builder().setAvoidFlushDuringShutdown(true).build());
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot turn the flush at close off", e);
    }
    db.close();
    options.close();
    writeOptions.close();
    readOptions.close();
  }

  @Override
  public void close() {
    try {
      flush();
    } catch (IllegalStateException e) {
      // the log still holds every record: they are applied again on the next start
    }
    db.close();
    options.close();
    writeOptions.close();
    readOptions.close();
  }
}
