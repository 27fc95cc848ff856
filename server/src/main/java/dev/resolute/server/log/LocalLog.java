package dev.resolute.server.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded log: append-only segment files shared by all partitions, with group commit — one
 * writer thread takes every pending append, writes them in one go and fsyncs once, then
 * completes their futures. Frame: u32 length | u32 crc32c | i32 partition | i64 lsn | payload,
 * where length and crc cover partition+lsn+payload. A torn tail is truncated on open.
 *
 * <p>A segment is named after its first LSN, so LSNs continue across segments and across
 * {@link #trim trimming}, which deletes whole segments from the oldest on: the log then starts at
 * the first LSN of its oldest remaining segment ({@link #firstLsn()}).
 */
public final class LocalLog implements Log {
  private static final Logger LOG = LoggerFactory.getLogger(LocalLog.class);
  private static final int FRAME_OVERHEAD = 4 + 4 + 4 + 8;
  private static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;
  /** Written by a clean close: "segment-file valid-bytes last-lsn". */
  static final String CLEAN_MARKER = "clean-tail";

  private final Path dir;
  private final long segmentBytes;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final RecordConsumer[] consumers;
  private final Thread writer;
  private volatile boolean closed;
  private FileChannel segment;
  /** The segment being written; read by {@link #trim} (never deleted) on another thread. */
  private volatile Path segmentPath;
  private long segmentSize;
  private long nextLsn;
  /**
   * Every record up to this LSN has been handed to its partition's consumer (written by the writer
   * thread after each append's records are delivered and before its future completes; before the
   * first, the last LSN found on open).
   */
  private volatile long deliveredUpTo;
  /** Written by the writer thread only; read at close: fsync'd batches and their records. */
  private long batches;
  private long records;
  /** Told after each batch's records are delivered (on the writer thread); see {@link #onBatchEnd}. */
  private volatile BatchListener batchListener;
  /** Set by the writer when a write or fsync failed: the segment may hold a partial frame. */
  private volatile boolean writeFailed;

  /** One append: a single record, or a group of one partition's records written in one batch. */
  private record Pending(int partition, byte[][] payloads, int bytes, CompletableFuture<Long> future) {
    Pending(int partition, byte[] payload, CompletableFuture<Long> future) {
      this(partition, new byte[][] {payload}, payload.length + FRAME_OVERHEAD, future);
    }
  }

  private LocalLog(Path dir, int partitions, long segmentBytes) throws IOException {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.consumers = new RecordConsumer[partitions];
    Files.createDirectories(dir);
    recover();
    deliveredUpTo = nextLsn - 1;
    this.writer = new Thread(this::writeLoop, "log-writer");
    this.writer.setDaemon(true);
  }

  public static LocalLog open(Path dir, int partitions) {
    return open(dir, partitions, LogOptions.DEFAULT_SEGMENT_BYTES);
  }

  /** Opens the log; a segment is closed and a new one started once it holds {@code segmentBytes}. */
  public static LocalLog open(Path dir, int partitions, long segmentBytes) {
    try {
      LocalLog l = new LocalLog(dir, partitions, segmentBytes);
      l.writer.start();
      return l;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open log in " + dir, e);
    }
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
    }
  }

  /**
   * Finds the next LSN by scanning only the last segment (a segment is named after its first LSN,
   * so earlier segments need not be read); truncates a torn tail of that segment. Start-up time
   * therefore does not grow with the size of the log.
   */
  private void recover() throws IOException {
    List<Path> segs = segments();
    if (segs.isEmpty()) {
      nextLsn = 1;
      openSegment(nextLsn);
      return;
    }
    Path p = segs.get(segs.size() - 1);
    long cleanLast = cleanTail(p);
    if (cleanLast >= 0) {
      nextLsn = cleanLast + 1;
      segmentPath = p;
      segment = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      segmentSize = segment.size();
      return;
    }
    long[] lastAndValid = scan(p, null, null);
    long last = lastAndValid[0] > 0 ? lastAndValid[0] : firstLsn(p) - 1;
    if (lastAndValid[1] < Files.size(p)) {
      LOG.warn("truncating torn tail of {} at {} (was {})", p, lastAndValid[1], Files.size(p));
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
        ch.truncate(lastAndValid[1]);
        ch.force(true);
      }
    }
    nextLsn = last + 1;
    segmentPath = p;
    segment = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    segmentSize = segment.size();
  }

  /**
   * The last LSN recorded by a clean close, if the marker it left names {@code last} and that
   * segment still has exactly the recorded length; else -1 (a crash, or appends after the marker:
   * the segment is scanned). The marker is removed before anything is appended again, so it never
   * describes a later state of the log. Saves reading the whole last segment (up to 256 MiB) on
   * every restart after a clean stop.
   */
  private long cleanTail(Path last) throws IOException {
    Path marker = dir.resolve(CLEAN_MARKER);
    if (!Files.exists(marker)) {
      return -1;
    }
    long lastLsn = -1;
    try {
      String[] f = Files.readString(marker, StandardCharsets.US_ASCII).trim().split(" ");
      if (f.length == 3 && f[0].equals(last.getFileName().toString()) && Long.parseLong(f[1]) == Files.size(last)) {
        lastLsn = Long.parseLong(f[2]);
      }
    } catch (RuntimeException | IOException e) {
      LOG.warn("ignoring unreadable {}: {}", marker, e.toString());
    }
    Files.delete(marker);
    syncDir();
    return lastLsn;
  }

  private void writeCleanMarker() throws IOException {
    Path tmp = dir.resolve(CLEAN_MARKER + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap((segmentPath.getFileName() + " " + segmentSize + " " + (nextLsn - 1) + "\n")
          .getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    Files.move(tmp, dir.resolve(CLEAN_MARKER), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    syncDir();
  }

  private void syncDir() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // directory fsync is not supported everywhere
    }
  }

  private static long firstLsn(Path segment) {
    String n = segment.getFileName().toString();
    return Long.parseLong(n.substring(0, n.length() - ".seg".length()));
  }

  private void openSegment(long firstLsn) throws IOException {
    if (segment != null) {
      segment.force(true);
      segment.close();
    }
    Path p = dir.resolve(String.format("%020d.seg", firstLsn));
    segmentPath = p;
    segment = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    segmentSize = segment.size();
    syncDir();
  }

  /** Returns {last lsn seen, byte offset after the last valid frame}. */
  private static long[] scan(Path p, long[] applied, RecordConsumer consumer) throws IOException {
    byte[] all = Files.readAllBytes(p);
    ByteBuffer b = ByteBuffer.wrap(all);
    long last = 0;
    int valid = 0;
    CRC32C crc = new CRC32C();
    while (b.remaining() >= 8) {
      int len = b.getInt();
      int sum = b.getInt();
      if (len < 12 || len > b.remaining()) {
        break;
      }
      crc.reset();
      crc.update(all, b.position(), len);
      if ((int) crc.getValue() != sum) {
        break;
      }
      int partition = b.getInt();
      long lsn = b.getLong();
      byte[] payload = new byte[len - 12];
      b.get(payload);
      last = lsn;
      valid = b.position();
      if (consumer != null && partition < applied.length && lsn > applied[partition]) {
        consumer.accept(partition, lsn, payload);
      }
    }
    return new long[] {last, valid};
  }

  @Override
  public CompletableFuture<Long> append(int partition, byte[] payload) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new IllegalStateException("log is closed"));
      return f;
    }
    queue.add(new Pending(partition, payload, f));
    return f;
  }

  @Override
  public CompletableFuture<Long> appendAll(int partition, List<byte[]> payloads) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new IllegalStateException("log is closed"));
      return f;
    }
    if (payloads.isEmpty()) {
      f.complete(0L);
      return f;
    }
    int bytes = 0;
    for (byte[] p : payloads) {
      bytes += p.length + FRAME_OVERHEAD;
    }
    queue.add(new Pending(partition, payloads.toArray(byte[][]::new), bytes, f));
    return f;
  }

  @Override
  public void replay(long[] appliedLsn, RecordConsumer consumer) {
    long from = Long.MAX_VALUE;
    for (long a : appliedLsn) {
      from = Math.min(from, a + 1);
    }
    if (from >= nextLsn) {
      return; // every partition has applied everything (a clean stop): no segment to read again
    }
    try {
      List<Path> segs = segments();
      for (int i = 0; i < segs.size(); i++) {
        // a segment holds LSNs [its first, next segment's first): skip it if all are applied
        if (i + 1 < segs.size() && firstLsn(segs.get(i + 1)) <= from) {
          continue;
        }
        scan(segs.get(i), appliedLsn, consumer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void subscribe(int partition, RecordConsumer consumer) {
    consumers[partition] = consumer;
  }

  /** Called on the writer thread after a batch is durable and its records were delivered. */
  @FunctionalInterface
  public interface BatchListener {
    /** {@code idle}: nothing was waiting to be written when the batch's records were delivered. */
    void afterBatch(boolean idle);
  }

  /**
   * Registers the listener told after every batch, on the writer thread: when nothing waits to be
   * written, the consumers' work may be done right there instead of handed to another thread.
   */
  public void onBatchEnd(BatchListener listener) {
    this.batchListener = listener;
  }

  /** Whether the calling thread is this log's writer (record delivery and batch-end calls run there). */
  public boolean isWriterThread() {
    return Thread.currentThread() == writer;
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    ByteBuffer buf = ByteBuffer.allocateDirect(MAX_BATCH_BYTES);
    CRC32C crc = new CRC32C();
    while (!closed || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        int bytes = first.bytes;
        while (bytes < MAX_BATCH_BYTES) {
          Pending next = queue.peek();
          if (next == null || bytes + next.bytes > MAX_BATCH_BYTES) {
            break;
          }
          batch.add(queue.poll());
          bytes += next.bytes;
        }
        if (bytes > buf.capacity()) {
          buf = ByteBuffer.allocateDirect(bytes);
        }
        buf.clear();
        long firstLsn = nextLsn;
        for (Pending pe : batch) {
          for (byte[] payload : pe.payloads) {
            long lsn = nextLsn++;
            // frame written in place, then the crc computed over the bytes just written: no copy
            int at = buf.position();
            buf.putInt(12 + payload.length).putInt(0).putInt(pe.partition).putLong(lsn).put(payload);
            int end = buf.position();
            crc.reset();
            crc.update(buf.duplicate().limit(end).position(at + 8));
            buf.putInt(at + 4, (int) crc.getValue());
          }
        }
        buf.flip();
        if (segmentSize + bytes > segmentBytes && segmentSize > 0) {
          openSegment(firstLsn);
        }
        while (buf.hasRemaining()) {
          segmentSize += segment.write(buf);
        }
        segment.force(false);
        batches++;
        long lsn = firstLsn;
        for (Pending pe : batch) {
          RecordConsumer c = consumers[pe.partition];
          for (byte[] payload : pe.payloads) {
            records++;
            if (c != null) {
              c.accept(pe.partition, lsn, payload);
            }
            lsn++;
          }
          // before the future: whoever sees an append complete sees its records delivered
          deliveredUpTo = lsn - 1;
          pe.future.complete(lsn - 1);
        }
        BatchListener l = batchListener;
        if (l != null) {
          try {
            l.afterBatch(queue.isEmpty());
          } catch (RuntimeException e) {
            LOG.error("batch listener failed", e); // the batch itself is durable and delivered
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Throwable t) {
        writeFailed = true;
        LOG.error("log write failed; failing {} appends", batch.size(), t);
        for (Pending pe : batch) {
          pe.future.completeExceptionally(t);
        }
      } finally {
        batch.clear();
      }
    }
  }

  /**
   * Every record with an LSN up to the returned one has been committed and handed to the consumer
   * of its partition (so a consumer that has applied everything handed to it has applied all of
   * its partition's records up to here).
   */
  public long deliveredUpTo() {
    return deliveredUpTo;
  }

  /** The first LSN the log still holds: that of its oldest segment. */
  public long firstLsn() {
    try {
      List<Path> segs = segments();
      return segs.isEmpty() ? nextLsn : firstLsn(segs.get(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The number of segment files. */
  public int segmentCount() {
    try {
      return segments().size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The highest LSN up to which {@link #trim} would delete segments given {@code appliedUpTo}: the
   * last LSN of the newest closed segment all of whose records are at or below it; 0 if none.
   */
  public long trimmableUpTo(long appliedUpTo) {
    try {
      return trimPoint(segments(), appliedUpTo)[1];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {count of deletable segments, last LSN of the last of them}; never the segment being written. */
  private long[] trimPoint(List<Path> segs, long appliedUpTo) {
    Path active = segmentPath;
    long n = 0;
    long upTo = 0;
    for (int i = 0; i + 1 < segs.size(); i++) {
      long lastOfSegment = firstLsn(segs.get(i + 1)) - 1;
      if (segs.get(i).equals(active) || lastOfSegment > appliedUpTo) {
        break;
      }
      n = i + 1;
      upTo = lastOfSegment;
    }
    return new long[] {n, upTo};
  }

  /**
   * Deletes, oldest first, every closed segment whose records all have LSNs at or below
   * {@code appliedUpTo}. The caller guarantees that every partition has applied those records and
   * that their effects are durable in the store. Safe while appends go on (the segment being
   * written is never deleted); a crash part-way leaves a shorter prefix deleted, never a gap.
   *
   * @return the number of segments deleted
   */
  public int trim(long appliedUpTo) {
    try {
      List<Path> segs = segments();
      int n = (int) trimPoint(segs, appliedUpTo)[0];
      for (int i = 0; i < n; i++) {
        Files.delete(segs.get(i));
      }
      if (n > 0) {
        syncDir();
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot trim the log in " + dir, e);
    }
  }

  /** The LSN of the last record written; call only after {@link #close()} (or before the first append). */
  public long lastLsn() {
    return nextLsn - 1;
  }

  @Override
  public void close() {
    closed = true;
    try {
      writer.join(5000);
      segment.force(true);
      if (!writer.isAlive() && !writeFailed) {
        writeCleanMarker(); // nothing more will be appended by this process
      }
      segment.close();
      LOG.info("log closed: {} records appended in {} group commits since start", records, batches);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.warn("closing log", e);
    }
  }
}
