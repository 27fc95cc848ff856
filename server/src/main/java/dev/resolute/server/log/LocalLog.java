package dev.resolute.server.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 400 lines on purpose: its durability argument (group commit, recovery of a torn tail,
// fail-stop, trimming) spans the writer and recovery; kept in one class so that the argument reads
// in one place.

/**
 * The embedded log: append-only segment files shared by all partitions, with group commit — one
 * writer at a time takes every pending append, writes them in one go and fsyncs once, then
 * completes their futures. The writer is the log's own thread, or (see {@link #leadOn}) an event
 * loop that appended while that thread was parked: it writes the batch itself in a task of its own,
 * so that at low load a record costs no thread wake-up, neither to write it nor to apply it. Frame:
 * u32 length | u32 crc32c | i32 partition | i64 lsn | payload, where length and crc cover
 * partition+lsn+payload. A torn tail is cut away on open.
 *
 * <p>A segment is named after its first LSN, so LSNs continue across segments and across {@link
 * #trim trimming}, which deletes whole segments from the oldest on: the log then starts at the
 * first LSN of its oldest remaining segment ({@link #firstLsn()}).
 *
 * <p><b>Preallocated segments.</b> A segment is created at its full size ({@code segmentBytes}) as
 * zeros written and fsync'd before it is used, and the writer overwrites it in place; so the fsync
 * of a batch ({@code fdatasync}) flushes only data, never a new file size or new extents (an ext4
 * journal commit). The next segment is prepared by a background thread once the current one is half
 * full and only renamed into place at rollover; an open that needs a new segment (a fresh log,
 * after a crash) starts one that grows and has the writer move to a preallocated one as soon as it
 * is prepared, so that the open waits for no zeros. A segment's end is therefore not its file size
 * but its <em>written end</em>: the end of its longest prefix of whole, CRC-valid frames, where a
 * zero length (the zeros of preallocation) ends it like a torn frame does. Rollover, recovery,
 * replay and trimming go by that end. Invariant: <em>in the segment being written, every byte past
 * the written end is zero</em> (or past the file's end) — a fresh or cleanly closed segment holds
 * it; a segment that may hold something else past it (a torn batch after a crash, a batch that
 * failed) is cut to its written end and never written again. Segments written before preallocation
 * (file size = written end) read the same way.
 *
 * <p><b>Durability.</b> An append's future completes only after the fsync that covers its frames
 * returned. Recovery keeps the longest prefix of whole frames with valid CRCs, so the log after a
 * crash is every completed append plus possibly a prefix of the batch being written — never a gap.
 * After a crash the last segment may hold, past that prefix, parts of the torn batch (its pages
 * reach the disk in any order), among them whole frames behind a torn one; were the writer to go on
 * in place, a later write of exactly the torn frame's length would make such a stale frame valid
 * again. So recovery truncates the last segment to its written end (and fsyncs that) and starts a
 * new, preallocated segment named after the next LSN; only a segment closed cleanly (the clean-tail
 * marker names its written end, and zeros follow it) is continued in place.
 *
 * <p><b>Fail-stop.</b> A failed write or fsync (an I/O error, a full disk, a short write that
 * cannot be finished) stops the log for writes until the process is restarted: after a failed fsync
 * nothing written since the last good one can be trusted (the kernel may have dropped the dirty
 * pages and reported the error only once), and a write may have left a partial frame behind which
 * recovery would stop at, cutting away anything appended after it. So the writer:
 *
 * <ol>
 *   <li>records the failure ({@link #failure()}): from then on every append, the ones waiting and
 *       those made later, fails at once with a {@link LogStoppedException};
 *   <li>truncates the segment to its written end after the last good fsync (dropping its
 *       preallocated rest with the failed batch) and fsyncs that, so the failed batch (never
 *       acknowledged) is gone and the file ends on a frame boundary;
 *   <li>moves its next LSN back to the batch's first, so {@link #lastLsn()} names the last durable
 *       record, and leaves no clean-tail marker at close (the restart then recovers as after a
 *       crash and starts a new segment).
 * </ol>
 *
 * Every acknowledged record was made durable by an fsync that succeeded before the failure, and
 * nothing is appended after it, so a restart recovers exactly the acknowledged records. If even the
 * truncation fails (the device is gone), frames of the failed batch may survive: recovery keeps the
 * longest valid prefix of them after every acknowledged record, so the log is still gap-free, and
 * cuts the rest away before anything is written again; whoever appended them was told the append
 * failed (as an ingress 503 says, it may or may not have been taken). A full disk behaves alike:
 * once space is freed, a restart opens the log and appends go on (a segment that cannot be
 * preallocated is created empty and grows). The success path costs nothing more: the writes and one
 * fsync per batch as before.
 */
public final class LocalLog implements Log {
  private static final Logger LOG = LoggerFactory.getLogger(LocalLog.class);
  private static final int FRAME_OVERHEAD = 4 + 4 + 4 + 8;
  private static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;

  /**
   * Suffix of a segment's marks file: lines {@code "offset lsn"}, each a frame boundary of the
   * segment that an fsync had made durable before the line was written, and the LSN of the last
   * frame before it. Written every {@link #MARK_BYTES} of segment; see {@link #recover}.
   */
  static final String MARKS = ".marks";

  static final long MARK_BYTES = 1 << 20;

  /** Written by a clean close: "segment-file valid-bytes last-lsn". */
  static final String CLEAN_MARKER = "clean-tail";

  private final Path dir;
  private final long segmentBytes;
  private final java.util.concurrent.ConcurrentLinkedQueue<Pending> queue =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /**
   * Held by whoever writes a batch (the writer thread or a leading event loop): everything a batch
   * touches (the segment, the LSNs, the marks, the batch buffer) is guarded by it.
   */
  private final java.util.concurrent.locks.ReentrantLock writeLock =
      new java.util.concurrent.locks.ReentrantLock();

  /** The writer thread is parked (or about to be) and must be unparked to see new appends. */
  private volatile boolean writerParked;

  /**
   * Appends in the last batch written: a thread leads only after a batch of one (one request in
   * flight); under load the writer thread keeps writing and no event loop blocks in an fsync.
   */
  private volatile int lastBatchAppends;

  /** A lead task is queued on an event loop and has not started yet (see {@link #leadOn}). */
  private final java.util.concurrent.atomic.AtomicBoolean leadQueued =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Gives the calling thread's executor if it may lead, else null (see {@link #leadOn}); unset:
   * only the writer thread writes.
   */
  private volatile java.util.function.Supplier<java.util.concurrent.Executor> leaders;

  /** The log was closed: a lead task that still finds appends fails them. Under the write lock. */
  private boolean shut;

  /** The batch being written and its buffer: under the write lock. */
  private final List<Pending> batch = new ArrayList<>();

  private ByteBuffer buf = ByteBuffer.allocateDirect(MAX_BATCH_BYTES);
  private final CRC32C crc = new CRC32C();
  private final RecordConsumer[] consumers;
  private final Thread writer;
  private volatile boolean closed;
  private FileChannel segment;

  /** The segment being written; read by {@link #trim} (never deleted) on another thread. */
  private volatile Path segmentPath;

  /** The written end of {@link #segment} (not its file size: see the class comment). */
  private long segmentSize;

  private long nextLsn;

  /**
   * Every record up to this LSN has been handed to its partition's consumer (written by the writer
   * thread after each append's records are delivered and before its future completes; before the
   * first, the last LSN found on open).
   */
  private volatile long deliveredUpTo;

  /** Written under the write lock; read at close: fsync'd batches and their records. */
  private long batches;

  private long records;

  /**
   * Told after each batch's records are delivered (by the batch's writer); see {@link #onBatchEnd}.
   */
  private volatile BatchListener batchListener;

  private volatile dev.resolute.server.metrics.LogMetrics metrics =
      dev.resolute.server.metrics.LogMetrics.none();

  /** Opens segment files: {@link FileChannel#open} except in tests that inject faults. */
  private final Channels channels;

  /** The size of {@link #segment} after the last fsync that succeeded (under the write lock). */
  private long durableSize;

  /**
   * Marks of the segment being written (its {@link #MARKS} file), appended under the write lock;
   * null until the first mark of that segment.
   */
  private FileChannel marks;

  /** The segment offset of the last mark written or found for the segment being written. */
  private long lastMark;

  /** Name of the next segment while it is prepared and until it is renamed into place. */
  static final String SPARE = "next-segment.prealloc";

  /** Prepares the next segment ({@link #SPARE}) off the writer thread. */
  private final java.util.concurrent.ExecutorService preparer;

  /**
   * The preparation of the next segment, started once the current one is half full (or at once
   * while it is {@link #growing}); null when none is under way or ready (written by the writer
   * thread, and by the opening thread before it starts).
   */
  private volatile java.util.concurrent.Future<?> spare;

  /**
   * The segment being written is not preallocated (started at open, or preallocation failed): the
   * writer moves on to the next segment as soon as it is prepared (under the write lock).
   */
  private boolean growing;

  /** Why the log stopped for writes (see the class comment); null while it works. */
  private volatile LogStoppedException failure;

  /** The seam at which tests inject I/O faults into segment files. */
  @FunctionalInterface
  interface Channels {
    FileChannel open(Path path, java.nio.file.OpenOption... options) throws IOException;
  }

  /** Thrown (as the cause of failed appends) once the log has stopped for writes. */
  public static final class LogStoppedException extends IllegalStateException {
    LogStoppedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** One append: a single record, or a group of one partition's records written in one batch. */
  private record Pending(
      int partition,
      byte[][] payloads,
      Object[] decoded,
      int bytes,
      CompletableFuture<Long> future) {
    Pending(int partition, byte[] payload, CompletableFuture<Long> future) {
      this(partition, new byte[][] {payload}, null, payload.length + FRAME_OVERHEAD, future);
    }
  }

  private LocalLog(Path dir, int partitions, long segmentBytes, Channels channels)
      throws IOException {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.channels = channels;
    this.consumers = new RecordConsumer[partitions];
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve(SPARE)); // perhaps half written before a crash
    java.util.concurrent.ThreadPoolExecutor prep =
        new java.util.concurrent.ThreadPoolExecutor(
            1,
            1,
            10,
            java.util.concurrent.TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "log-segment-preparer");
              t.setDaemon(true);
              return t;
            });
    prep.allowCoreThreadTimeOut(true); // idle between segments: no thread kept
    this.preparer = prep;
    recover();
    deliveredUpTo = nextLsn - 1;
    this.writer = new Thread(this::writeLoop, "log-writer");
    this.writer.setDaemon(true);
  }

  public static LocalLog open(Path dir, int partitions) {
    return open(dir, partitions, LogOptions.DEFAULT_SEGMENT_BYTES);
  }

  /**
   * Opens the log; a segment is closed and a new one started once it holds {@code segmentBytes}.
   */
  public static LocalLog open(Path dir, int partitions, long segmentBytes) {
    return open(dir, partitions, segmentBytes, FileChannel::open);
  }

  /** As {@link #open(Path, int, long)}, with segment files opened by {@code channels}. */
  static LocalLog open(Path dir, int partitions, long segmentBytes, Channels channels) {
    try {
      LocalLog l = new LocalLog(dir, partitions, segmentBytes, channels);
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
   * so earlier segments need not be read), from its last mark that holds ({@link
   * SegmentReader#lastValidMark}); cuts that segment at its written end. Start-up time therefore
   * grows neither with the size of the log nor with that of its last segment: at most {@link
   * #MARK_BYTES} and a batch are read (a full 64 MiB segment took 0.4-0.5 s of CPU to scan on a
   * cold JVM).
   *
   * <p>The writer goes on in place only in a segment that was closed cleanly and is preallocated
   * (zeros follow its written end); otherwise (a crash, a failed write, a segment of the format
   * before preallocation) the segment keeps its written part and a new, preallocated segment starts
   * (see the class comment).
   */
  private void recover() throws IOException {
    List<Path> segs = segments();
    if (segs.isEmpty()) {
      nextLsn = 1;
      startGrowing(nextLsn);
      return;
    }
    Path p = segs.get(segs.size() - 1);
    long size = Files.size(p);
    long[] clean = cleanTail(p);
    long written;
    if (clean != null) {
      nextLsn = clean[0] + 1;
      written = clean[1];
      if (size > written) {
        useSegment(p, channels.open(p, StandardOpenOption.WRITE), written);
        return;
      }
    } else {
      long[] mark = SegmentReader.lastValidMark(p, Long.MAX_VALUE);
      long[] lastAndValid = SegmentReader.scan(p, mark[0], null, null);
      nextLsn = (lastAndValid[0] > 0 ? lastAndValid[0] : Math.max(mark[1], firstLsn(p) - 1)) + 1;
      written = lastAndValid[1];
      if (written < size) {
        LOG.info("cutting {} at its written end {} (file size {})", p, written, size);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
          ch.truncate(written);
          ch.force(true);
        }
      }
    }
    // a new segment (an empty last one bears the same name and is taken over)
    startGrowing(nextLsn);
  }

  /**
   * Starts segment {@code firstLsn} as a file that grows as written, for as long as the next
   * segment is being prepared (from now on): the open waits for no zeros to be written, and the
   * writer moves on to the prepared segment at its first batch after it is ready (one that has
   * written nothing yet is replaced by it under the same name). The file does not exist yet or is
   * empty (recovery cut it to its written end, 0).
   */
  private void startGrowing(long firstLsn) throws IOException {
    Path p = segmentName(firstLsn);
    Files.deleteIfExists(marksOf(p)); // no mark from an earlier segment of the name
    useSegment(p, channels.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE), 0);
    syncDir();
    growing = true;
    spare = prepareSpare();
  }

  private Path segmentName(long firstLsn) {
    return dir.resolve(String.format("%020d.seg", firstLsn));
  }

  /**
   * Waits until the next segment, if one is being prepared, is ready (or failed): tests call it
   * after an open so that which segment a record lands in does not depend on timing.
   */
  public void awaitNextSegment() {
    java.util.concurrent.Future<?> f = spare;
    if (f != null) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        // preparing failed: the writer goes on in a growing segment
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Makes {@code ch}, open on {@code p} and written up to {@code written}, the segment written. */
  private void useSegment(Path p, FileChannel ch, long written) throws IOException {
    ch.position(written);
    segment = ch;
    segmentPath = p;
    segmentSize = written;
    durableSize = written;
    closeMarks();
    lastMark = written;
  }

  private void closeMarks() {
    if (marks != null) {
      try {
        marks.close();
      } catch (IOException ignored) {
        // marks are hints: a lost one costs a longer scan
      }
      marks = null;
    }
  }

  /**
   * Appends a mark for the segment's durable size once it grew {@link #MARK_BYTES} past the last
   * (under the write lock, after the fsync that made it durable). Not fsync'd: a mark lost in a
   * crash only makes the next recovery scan more of the segment, and every mark is checked before
   * use. Failing to write one never stops the log.
   */
  private void maybeMark() {
    if (durableSize - lastMark < MARK_BYTES) {
      return;
    }
    lastMark = durableSize;
    try {
      if (marks == null) {
        marks =
            FileChannel.open(
                marksOf(segmentPath),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
      }
      ByteBuffer line =
          ByteBuffer.wrap(
              (durableSize + " " + (nextLsn - 1) + "\n").getBytes(StandardCharsets.US_ASCII));
      while (line.hasRemaining()) {
        marks.write(line);
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot write a mark of {}", segmentPath, e);
      closeMarks();
    }
  }

  static Path marksOf(Path segment) {
    return segment.resolveSibling(segment.getFileName() + MARKS);
  }

  /**
   * {last LSN, written end} recorded by a clean close, if the marker it left names {@code last} and
   * that segment still ends there: its file size is the written end, or zeros follow it (a
   * preallocated segment); else null (a crash, or appends after the marker: the segment is
   * scanned). The marker is removed before anything is appended again, so it never describes a
   * later state of the log. Saves reading the whole last segment (up to 256 MiB) on every restart
   * after a clean stop.
   */
  private long[] cleanTail(Path last) throws IOException {
    Path marker = dir.resolve(CLEAN_MARKER);
    if (!Files.exists(marker)) {
      return null;
    }
    long[] found = null;
    try {
      String[] f = Files.readString(marker, StandardCharsets.US_ASCII).trim().split(" ");
      if (f.length == 3 && f[0].equals(last.getFileName().toString())) {
        long written = Long.parseLong(f[1]);
        long size = Files.size(last);
        if (written == size
            || (written >= 0 && written < size && SegmentReader.zerosAt(last, written))) {
          found = new long[] {Long.parseLong(f[2]), written};
        }
      }
    } catch (RuntimeException | IOException e) {
      LOG.warn("ignoring unreadable {}: {}", marker, e.toString());
    }
    Files.delete(marker);
    syncDir();
    return found;
  }

  private void writeCleanMarker() throws IOException {
    Path tmp = dir.resolve(CLEAN_MARKER + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(
          ByteBuffer.wrap(
              (segmentPath.getFileName() + " " + segmentSize + " " + (nextLsn - 1) + "\n")
                  .getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    Files.move(
        tmp,
        dir.resolve(CLEAN_MARKER),
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
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

  /**
   * Closes the current segment (its records were fsync'd with their batch) and starts one named
   * {@code firstLsn}: the prepared spare renamed into place (prepared here and now if none was
   * started), or an empty file that grows if preallocation failed (a full disk). The fields change
   * only once the new file is open, so a failure here leaves the writer on the old segment, which
   * {@link #stop} then truncates to its written end; a preallocated segment left behind holds only
   * zeros, so it names the next LSN and no record, as the log's end is then.
   */
  private void openSegment(long firstLsn) throws IOException {
    if (segment != null) {
      segment.force(true);
    }
    Path p = segmentName(firstLsn);
    Files.deleteIfExists(marksOf(p)); // no mark from an earlier segment of the name
    boolean preallocated = false;
    java.util.concurrent.Future<?> ready = spare != null ? spare : prepareSpare();
    spare = null;
    try {
      ready.get();
      Files.move(
          dir.resolve(SPARE),
          p,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      preallocated = true;
    } catch (java.util.concurrent.ExecutionException | IOException e) {
      LOG.warn("cannot preallocate log segment {}, it grows as written: {}", p, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while preparing " + p);
    }
    FileChannel next = channels.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    if (segment != null) {
      segment.close();
    }
    useSegment(p, next, 0);
    growing = !preallocated;
    syncDir();
  }

  /**
   * Starts preparing the next segment on the preparer thread: {@link #SPARE} holding {@code
   * segmentBytes} zeros, written in 1 MiB chunks and fsync'd once (data and size), so that writes
   * to it later only overwrite allocated, written blocks.
   */
  private java.util.concurrent.Future<?> prepareSpare() {
    long bytes = segmentBytes;
    Path tmp = dir.resolve(SPARE);
    try {
      return preparer.submit(
          () -> {
            try (FileChannel ch =
                channels.open(
                    tmp,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
              ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(1 << 20, bytes));
              for (long at = 0; at < bytes; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - at));
                at += ch.write(zeros);
              }
              ch.force(true);
            } catch (IOException | RuntimeException e) {
              Files.deleteIfExists(tmp); // a full disk: give back what the zeros took
              throw e;
            }
            return null;
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e); // closing
    }
  }

  @Override
  public CompletableFuture<Long> append(int partition, byte[] payload) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    if (refused(f)) {
      return f;
    }
    queue.add(new Pending(partition, payload, f));
    signal();
    return f;
  }

  @Override
  public CompletableFuture<Long> appendAll(int partition, List<byte[]> payloads) {
    return appendDecoded(partition, payloads, null, false);
  }

  /** Fences nothing itself (apply fences by leader epoch): {@code asLeader} makes no difference. */
  @Override
  public CompletableFuture<Long> appendDecoded(
      int partition, List<byte[]> payloads, List<?> decoded, boolean asLeader) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    if (refused(f)) {
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
    queue.add(
        new Pending(
            partition,
            payloads.toArray(byte[][]::new),
            decoded == null ? null : decoded.toArray(),
            bytes,
            f));
    signal();
    return f;
  }

  /** What an append to a closed log fails with (at once, or in a lead task that ran too late). */
  private static IllegalStateException closedError() {
    return new IllegalStateException("log is closed");
  }

  /** Fails {@code f} when the log takes no appends (closed, or stopped after a failed write). */
  private boolean refused(CompletableFuture<Long> f) {
    LogStoppedException stopped = failure;
    if (stopped != null) {
      f.completeExceptionally(stopped);
      return true;
    }
    if (closed) {
      f.completeExceptionally(closedError());
      return true;
    }
    return false;
  }

  /**
   * Why the log stopped taking appends after a failed write or fsync, or null while it works. Once
   * set it stays set until the process restarts (see the class comment).
   */
  public LogStoppedException failure() {
    return failure;
  }

  @Override
  public void replay(long[] appliedLsn, RecordConsumer consumer) {
    replayFrom(appliedLsn, consumer);
  }

  private void replayFrom(long[] appliedLsn, RecordConsumer consumer) {
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
        // from a mark before the first record to replay: every frame before it is applied
        Path seg = segs.get(i);
        SegmentReader.scan(seg, SegmentReader.lastValidMark(seg, from)[0], appliedLsn, consumer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void subscribe(int partition, RecordConsumer consumer) {
    consumers[partition] = consumer;
  }

  /**
   * Called by the batch's writer (under the write lock) after a batch is durable and its records
   * were delivered.
   */
  @FunctionalInterface
  public interface BatchListener {
    /** {@code idle}: nothing was waiting to be written when the batch's records were delivered. */
    void afterBatch(boolean idle);
  }

  /** Where each group commit is recorded (records, fsync time); none until set. */
  public void metrics(dev.resolute.server.metrics.LogMetrics m) {
    this.metrics = m;
  }

  /**
   * Registers the listener told after every batch, by its writer (the writer thread or a leading
   * event loop): when nothing waits to be written, the consumers' work may be done right there
   * instead of handed to another thread.
   */
  public void onBatchEnd(BatchListener listener) {
    this.batchListener = listener;
  }

  /**
   * Whether the calling thread is writing a batch now (the writer thread or a leading event loop:
   * record delivery and batch-end calls run there).
   */
  public boolean isWriterThread() {
    return writeLock.isHeldByCurrentThread();
  }

  /**
   * Has the queued appends written: nothing to do while the writer thread is busy (it looks at the
   * queue again before it parks); else the calling event loop leads (a task of its own, so that
   * nothing of the caller's stack sees records delivered inside its append), or the writer thread
   * is unparked.
   */
  private void signal() {
    if (!writerParked) {
      return;
    }
    java.util.function.Supplier<java.util.concurrent.Executor> l = leaders;
    java.util.concurrent.Executor loop = l == null ? null : l.get();
    if (loop != null
        && lastBatchAppends <= 1
        && !writeLock.isHeldByCurrentThread()
        && leadQueued.compareAndSet(false, true)) {
      try {
        loop.execute(this::lead);
        return;
      } catch (java.util.concurrent.RejectedExecutionException e) {
        leadQueued.set(false); // the loop is shutting down: the writer thread writes it
      }
    }
    wakeWriter();
  }

  /**
   * Lets event loops (or other single-threaded executors, such as the timers thread) write batches
   * themselves while the writer thread is parked (at low load: one request in flight): {@code
   * currentLoop} gives the calling thread's executor, or null on a thread that must not lead. A
   * leading thread writes, fsyncs and delivers one batch in a task of its own (never inside the
   * append: the caller's stack must not see records delivered), so the records' apply and effects
   * run there too (see {@link #onBatchEnd}); the fsync blocks that thread, which is why it leads
   * only while the writer thread has nothing to do and the last batch held a single append (an
   * interleaved A/B at 64 in flight was up to 17 % slower when every parked moment of the writer
   * was taken). Off unless set.
   */
  public void leadOn(java.util.function.Supplier<java.util.concurrent.Executor> currentLoop) {
    this.leaders = currentLoop;
  }

  /** A lead task: one batch on the calling event loop, unless another writer is at it. */
  private void lead() {
    leadQueued.set(false);
    if (!writeLock.tryLock()) {
      wakeWriter(); // the writer (or a leader) is writing: the thread looks at the queue again
      return;
    }
    try {
      if (shut) {
        Pending p;
        while ((p = queue.poll()) != null) {
          p.future.completeExceptionally(closedError());
        }
        return;
      }
      writeBatch();
    } finally {
      writeLock.unlock();
    }
    if (!queue.isEmpty()) {
      wakeWriter();
    }
  }

  /** Whether the writer thread is parked (for tests). */
  boolean writerParked() {
    return writerParked;
  }

  private void wakeWriter() {
    if (writerParked) {
      LockSupport.unpark(writer);
    }
  }

  private void writeLoop() {
    while (!closed || !queue.isEmpty()) {
      if (queue.isEmpty()) {
        // parked is set before the queue is looked at again, and an append adds before it looks at
        // parked: one of the two sees the other. The timeout is only a safety net (it was 100 ms:
        // ten wake-ups a second of an idle node, per log)
        writerParked = true;
        if (queue.isEmpty() && !closed) {
          LockSupport.parkNanos(this, 1_000_000_000L);
        }
        writerParked = false;
        continue;
      }
      writeLock.lock();
      try {
        writeBatch();
      } finally {
        writeLock.unlock();
      }
    }
  }

  /** Writes, fsyncs and delivers the appends waiting in the queue; under the write lock. */
  private void writeBatch() {
    try {
      Pending first = queue.poll();
      if (first == null) {
        return;
      }
      batch.add(first);
      LogStoppedException stopped = failure;
      if (stopped != null) {
        // appends queued before the failure was seen, or racing with it: never written
        Pending p;
        while ((p = queue.poll()) != null) {
          batch.add(p);
        }
        for (Pending pe : batch) {
          pe.future.completeExceptionally(stopped);
        }
        return;
      }
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
      long lsnAfter = firstLsn;
      for (Pending pe : batch) {
        for (byte[] payload : pe.payloads) {
          long lsn = lsnAfter++;
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
      long fsyncNanos;
      try {
        if (segmentSize + bytes > segmentBytes && segmentSize > 0
            || growing && spare != null && spare.isDone()) {
          openSegment(firstLsn);
        }
        while (buf.hasRemaining()) {
          segmentSize += segment.write(buf);
        }
        fsyncNanos = System.nanoTime();
        segment.force(false);
        fsyncNanos = System.nanoTime() - fsyncNanos;
      } catch (Throwable t) {
        stop(t, batch, firstLsn);
        return;
      }
      durableSize = segmentSize;
      nextLsn = lsnAfter;
      maybeMark();
      if (spare == null && segmentSize >= segmentBytes / 2) {
        spare = prepareSpare(); // ready long before this segment is full
      }
      batches++;
      lastBatchAppends = batch.size();
      metrics.committed(lsnAfter - firstLsn, fsyncNanos);
      deliver(batch, firstLsn);
    } catch (Throwable t) {
      stop(t, batch, nextLsn); // e.g. no memory for the batch buffer: nothing of it was written
    } finally {
      batch.clear();
    }
  }

  /** Hands a durable batch's records to their consumers, then completes the appends' futures. */
  private void deliver(List<Pending> batch, long firstLsn) {
    long lsn = firstLsn;
    try {
      for (Pending pe : batch) {
        RecordConsumer c = consumers[pe.partition];
        for (int i = 0; i < pe.payloads.length; i++) {
          records++;
          if (c != null) {
            c.accept(pe.partition, lsn, pe.payloads[i], pe.decoded == null ? null : pe.decoded[i]);
          }
          lsn++;
        }
        // before the future: whoever sees an append complete sees its records delivered
        deliveredUpTo = lsn - 1;
        pe.future.complete(lsn - 1);
      }
    } catch (Throwable t) {
      // a consumer missed a durable record: nothing applied after it could be trusted, so stop
      // as after a failed write (the records stay in the log and are replayed after a restart)
      LogStoppedException stopped =
          new LogStoppedException(
              "the log stopped accepting writes: a committed "
                  + "record could not be delivered ("
                  + t
                  + "); restart the node",
              t);
      failure = stopped;
      LOG.error("log stopped: delivering record {} failed", lsn, t);
      for (Pending pe : batch) {
        pe.future.completeExceptionally(stopped);
      }
      return;
    }
    BatchListener l = batchListener;
    if (l != null) {
      try {
        l.afterBatch(queue.isEmpty());
      } catch (RuntimeException e) {
        LOG.error("batch listener failed", e); // the batch itself is durable and delivered
      }
    }
  }

  /**
   * Stops the log after the batch starting at {@code firstLsn} could not be written or fsync'd (see
   * the class comment): later appends fail, the segment goes back to its last durable size, the
   * batch's appends fail. Runs under the write lock.
   */
  private void stop(Throwable cause, List<Pending> batch, long firstLsn) {
    long lastLsn = firstLsn - 1;
    for (Pending pe : batch) {
      lastLsn += pe.payloads.length;
    }
    LogStoppedException stopped =
        new LogStoppedException(
            "the log stopped accepting writes after a failed write "
                + "or fsync ("
                + cause
                + "); restart the node once the cause (a full disk, a failing device) is fixed",
            cause);
    failure = stopped;
    LOG.error(
        "log stopped for writes: writing records {}..{} ({} appends) to {} failed; every append fails "
            + "from now on, restart the node once the cause is fixed",
        firstLsn,
        lastLsn,
        batch.size(),
        segmentPath,
        cause);
    try {
      segment.truncate(durableSize);
      segment.force(true);
      segmentSize = durableSize;
      LOG.info(
          "log segment {} truncated to {} bytes, its written end after the last good fsync (lsn {})",
          segmentPath,
          durableSize,
          firstLsn - 1);
    } catch (Throwable t) {
      LOG.error(
          "cannot truncate {} to its written end {} durably: records {}..{}, reported as failed, may reappear after a "
              + "restart",
          segmentPath,
          durableSize,
          firstLsn,
          lastLsn,
          t);
    }
    for (Pending pe : batch) {
      pe.future.completeExceptionally(stopped);
    }
  }

  /**
   * Every record with an LSN up to the returned one has been committed and handed to the consumer
   * of its partition (so a consumer that has applied everything handed to it has applied all of its
   * partition's records up to here).
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

  /**
   * {count of deletable segments, last LSN of the last of them}; never the segment being written.
   */
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
   * Deletes, oldest first, every closed segment whose records all have LSNs at or below {@code
   * appliedUpTo}. The caller guarantees that every partition has applied those records and that
   * their effects are durable in the store. Safe while appends go on (the segment being written is
   * never deleted); a crash part-way leaves a shorter prefix deleted, never a gap.
   *
   * @return the number of segments deleted
   */
  public int trim(long appliedUpTo) {
    try {
      List<Path> segs = segments();
      int n = (int) trimPoint(segs, appliedUpTo)[0];
      for (int i = 0; i < n; i++) {
        Files.deleteIfExists(marksOf(segs.get(i))); // first: a mark never outlives its segment
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

  /**
   * The LSN of the last record written; call only after {@link #close()} (or before the first
   * append).
   */
  public long lastLsn() {
    return nextLsn - 1;
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(writer);
    try {
      writer.join(5000);
      writeLock.lock(); // a lead task still writing finishes first; later ones fail their appends
      shut = true;
      writeLock.unlock();
      preparer.shutdownNow(); // a segment still being prepared is not needed any more
      preparer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
      Files.deleteIfExists(dir.resolve(SPARE));
      segment.force(true);
      if (!writer.isAlive() && failure == null) {
        writeCleanMarker(); // nothing more will be appended by this process
      }
      segment.close();
      closeMarks();
      LOG.info("log closed: {} records appended in {} group commits since start", records, batches);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.warn("closing log", e);
    }
  }
}
