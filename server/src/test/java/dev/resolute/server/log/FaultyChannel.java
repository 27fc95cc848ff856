package dev.resolute.server.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A segment file whose writes, fsyncs, truncations or opening fail on demand, for the log's
 * fail-stop tests: everything else goes to a real {@link FileChannel}. The faults are set on the
 * shared {@link Faults}, so they reach the channel the log opens next as well.
 */
final class FaultyChannel extends FileChannel {
  /** The faults to inject; read on every call (fields are volatile: set by the test thread). */
  static final class Faults implements LocalLog.Channels {
    /** Thrown by the next write (then cleared), after {@link #shortWriteBytes} bytes if set. */
    volatile IOException writeError;

    /** With {@link #writeError}: the number of bytes the failing write still writes first. */
    volatile int shortWriteBytes = -1;

    /** Every write writes at most this many bytes and returns (0 = no limit). */
    volatile int maxBytesPerWrite;

    /** Thrown by every fsync while set. */
    volatile IOException forceError;

    /** Thrown by every truncation while set. */
    volatile IOException truncateError;

    /** Thrown when a segment is opened while set. */
    volatile IOException openError;

    /** When set, an fsync waits for it (the test queues more appends meanwhile). */
    volatile CountDownLatch forceGate;

    volatile CountDownLatch forceEntered;

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
      IOException e = openError;
      if (e != null) {
        throw e;
      }
      return new FaultyChannel(FileChannel.open(path, options), this);
    }
  }

  static IOException noSpace() {
    return new IOException("No space left on device");
  }

  private final FileChannel real;
  private final Faults faults;

  private FaultyChannel(FileChannel real, Faults faults) {
    this.real = real;
    this.faults = faults;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    IOException e = faults.writeError;
    if (e != null) {
      int partial = faults.shortWriteBytes;
      if (partial > 0) {
        faults.shortWriteBytes = -1; // the next call fails
        return writeAtMost(src, partial);
      }
      faults.writeError = null;
      throw e;
    }
    int max = faults.maxBytesPerWrite;
    return max > 0 ? writeAtMost(src, max) : real.write(src);
  }

  private int writeAtMost(ByteBuffer src, int n) throws IOException {
    ByteBuffer slice = src.duplicate();
    slice.limit(Math.min(src.limit(), src.position() + n));
    int written = real.write(slice);
    src.position(src.position() + written);
    return written;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    CountDownLatch entered = faults.forceEntered;
    if (entered != null) {
      entered.countDown();
    }
    CountDownLatch gate = faults.forceGate;
    if (gate != null) {
      try {
        gate.await();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
    IOException e = faults.forceError;
    if (e != null) {
      throw e;
    }
    real.force(metaData);
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    IOException e = faults.truncateError;
    if (e != null) {
      throw e;
    }
    real.truncate(size);
    return this;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return real.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return real.read(dsts, offset, length);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    throw new UnsupportedOperationException("the log writes one buffer at a time");
  }

  @Override
  public long position() throws IOException {
    return real.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    real.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return real.size();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return real.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    throw new UnsupportedOperationException();
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return real.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    throw new UnsupportedOperationException("the log only appends");
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return real.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return real.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return real.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    real.close();
  }
}
