package dev.resolute.server.storage;

import dev.resolute.server.api.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
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
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * RocksDB-backed store. A batch keeps its writes on the heap, read-your-writes, and writes them in
 * one native call at commit.
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
        .setMemtableWholeKeyFiltering(true)
        // Compaction is universal (size-tiered). With leveled compaction it was the node's largest
        // CPU cost: while the store is smaller than the base level's target (256 MiB) RocksDB
        // compacts level 0 straight into the last level, and the keys are random invocation ids, so
        // every level-0 file overlaps all of the last level and each compaction rewrote the whole
        // store to add a few MB (a bench run's store of 160 MB: 4.4 s of CPU per compaction, a
        // third of the node's CPU under load). Universal compaction merges sorted runs of similar
        // size, so a byte is rewritten about log(store / flush) times instead of once per
        // compaction: in an interleaved A/B under mixed load compaction CPU fell from 67 s to 20 s
        // and CPU per request by ~30 % (BENCHMARKS.md, issue 19 session 22). The price is space:
        // before a full compaction the store may hold up to 3x its live size (the default
        // max_size_amplification_percent of 200). A store written with leveled compaction opens
        // as it is (each level is one sorted run; RocksOpenLevelledTest). Eight sorted runs start a
        // compaction instead of four (fewer, larger merges), and LZ4 compresses and decompresses
        // at about half Snappy's CPU for a similar ratio.
        .setCompactionStyle(CompactionStyle.UNIVERSAL)
        .setLevel0FileNumCompactionTrigger(LEVEL0_COMPACTION_TRIGGER)
        .setCompressionType(CompressionType.LZ4_COMPRESSION);
  }

  /**
   * Sorted runs that start a compaction (RocksDB's default is 4; writes slow down at 20 level-0
   * files).
   */
  static final int LEVEL0_COMPACTION_TRIGGER = 8;

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
    return new OverlayBatch();
  }

  /** Small values of keys that committed batches wrote lately; batch reads look here first. */
  private final RecentWrites recent = new RecentWrites();

  /** A deleted key in an {@link OverlayBatch}'s writes (compared by identity). */
  private static final byte[] TOMBSTONE = new byte[0];

  /**
   * A batch whose writes stay on the Java heap until commit, in a sorted map that reads see first;
   * commit encodes them in RocksDB's WriteBatch wire format and hands that over in one call. A
   * WriteBatchWithIndex cost a native call and a native index insertion per put, and a native
   * batch-then-database lookup per get; now a put is a map insertion and a get a map lookup or a
   * database get ({@link RecentWrites} first). The caller must not modify key or value arrays it
   * passed in nor arrays a get returned (as with {@link MemoryStore}).
   */
  private final class OverlayBatch implements Batch {
    private final TreeMap<byte[], byte[]> writes = new TreeMap<>(Arrays::compareUnsigned);

    /** Bytes of keys and values in {@link #writes}. */
    private long bytes;

    /**
     * Set once the writes outgrew {@link #SPILL_BYTES} (a partition restored from a snapshot, a big
     * purge): from then on until commit they go to native memory, as before the overlay, instead of
     * holding the Java heap.
     */
    private WriteBatchWithIndex spilled;

    @Override
    public byte[] get(byte[] key) {
      try {
        if (spilled != null) {
          return spilled.getFromBatchAndDB(db, readOptions, key);
        }
        byte[] w = writes.get(key);
        if (w != null) {
          return w == TOMBSTONE ? null : w;
        }
        byte[] r = recent.get(key);
        if (r != RecentWrites.UNKNOWN) {
          return r;
        }
        return db.get(readOptions, key);
      } catch (RocksDBException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void put(byte[] key, byte[] value) {
      write(key, value);
    }

    @Override
    public void delete(byte[] key) {
      write(key, TOMBSTONE);
    }

    private void write(byte[] key, byte[] value) {
      try {
        if (spilled != null) {
          if (value == TOMBSTONE) {
            spilled.delete(key);
          } else {
            spilled.put(key, value);
          }
          return;
        }
        writes.put(key, value);
        bytes += key.length + value.length;
        if (bytes > SPILL_BYTES) {
          spilled = new WriteBatchWithIndex(true);
          for (Map.Entry<byte[], byte[]> e : writes.entrySet()) {
            if (e.getValue() == TOMBSTONE) {
              spilled.delete(e.getKey());
            } else {
              spilled.put(e.getKey(), e.getValue());
            }
          }
          writes.clear();
          bytes = 0;
        }
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
      byte[] end = Keys.prefixEnd(prefix);
      java.util.NavigableMap<byte[], byte[]> mine =
          end == null ? writes.tailMap(from, true) : writes.subMap(from, true, end, false);
      try (Slice upper = end == null ? null : new Slice(end);
          ReadOptions ro =
              upper == null ? new ReadOptions() : new ReadOptions().setIterateUpperBound(upper);
          RocksIterator base = db.newIterator(ro);
          RocksIterator it = spilled == null ? base : spilled.newIteratorWithBase(base)) {
        it.seek(from);
        merge(it, mine.entrySet().iterator(), prefix, visitor);
      }
    }

    @Override
    public void commit() {
      try {
        if (spilled != null) {
          db.write(writeOptions, spilled);
          spilled.close();
          spilled = null;
          recent.clear(); // which keys it wrote is in native memory only
          return;
        }
        if (writes.isEmpty()) {
          return;
        }
        try (WriteBatch wb = new WriteBatch(encode(writes))) {
          db.write(writeOptions, wb);
        }
        for (Map.Entry<byte[], byte[]> e : writes.entrySet()) {
          recent.written(e.getKey(), e.getValue() == TOMBSTONE ? null : e.getValue());
        }
        writes.clear();
        bytes = 0;
      } catch (RocksDBException e) {
        throw new IllegalStateException("RocksDB write failed", e);
      }
    }

    @Override
    public void close() {
      writes.clear();
      if (spilled != null) {
        spilled.close();
        spilled = null;
      }
    }
  }

  /** Past this many bytes of keys and values, a batch keeps its writes in native memory. */
  static final long SPILL_BYTES = 16L << 20;

  /**
   * Visits, in key order, the database's entries under {@code it} (positioned) overlaid by the
   * batch's own {@code mine} (tombstones hide a key), while keys start with {@code prefix} and the
   * visitor returns true.
   */
  private static void merge(
      RocksIterator it,
      java.util.Iterator<Map.Entry<byte[], byte[]>> mine,
      byte[] prefix,
      BiPredicate<byte[], byte[]> visitor) {
    Map.Entry<byte[], byte[]> m = mine.hasNext() ? mine.next() : null;
    byte[] dbKey = it.isValid() ? it.key() : null;
    while (true) {
      if (dbKey != null && !Keys.startsWith(dbKey, prefix)) {
        dbKey = null;
      }
      if (m != null && !Keys.startsWith(m.getKey(), prefix)) {
        m = null;
      }
      if (dbKey == null && m == null) {
        return;
      }
      int c = dbKey == null ? 1 : m == null ? -1 : Arrays.compareUnsigned(dbKey, m.getKey());
      byte[] k;
      byte[] v;
      if (c < 0) {
        k = dbKey;
        v = it.value();
        it.next();
        dbKey = it.isValid() ? it.key() : null;
      } else {
        k = m.getKey();
        v = m.getValue();
        m = mine.hasNext() ? mine.next() : null;
        if (c == 0) {
          it.next(); // the batch's write replaces the database's entry
          dbKey = it.isValid() ? it.key() : null;
        }
      }
      if (v != TOMBSTONE && !visitor.test(k, v)) {
        return;
      }
    }
  }

  /**
   * RocksDB's WriteBatch representation (db/write_batch.cc): a fixed64 sequence number (0, set by
   * the write), a fixed32 record count, then per record a type byte (1 = put, 0 = delete, default
   * column family), the varint32-prefixed key and, for a put, the varint32-prefixed value.
   */
  static byte[] encode(java.util.SortedMap<byte[], byte[]> writes) {
    int size = 12;
    for (Map.Entry<byte[], byte[]> e : writes.entrySet()) {
      size += 1 + varintSize(e.getKey().length) + e.getKey().length;
      if (e.getValue() != TOMBSTONE) {
        size += varintSize(e.getValue().length) + e.getValue().length;
      }
    }
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putLong(0L).putInt(writes.size());
    for (Map.Entry<byte[], byte[]> e : writes.entrySet()) {
      boolean delete = e.getValue() == TOMBSTONE;
      b.put(delete ? (byte) 0 : (byte) 1);
      putVarint(b, e.getKey().length);
      b.put(e.getKey());
      if (!delete) {
        putVarint(b, e.getValue().length);
        b.put(e.getValue());
      }
    }
    return b.array();
  }

  private static int varintSize(int v) {
    int n = 1;
    while ((v & ~0x7F) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  private static void putVarint(java.nio.ByteBuffer b, int v) {
    while ((v & ~0x7F) != 0) {
      b.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    b.put((byte) v);
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
          it.seek(from);
          merge(it, java.util.Collections.emptyIterator(), prefix, visitor);
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
