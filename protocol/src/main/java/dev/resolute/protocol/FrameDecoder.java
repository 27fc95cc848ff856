package dev.resolute.protocol;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental frame decoder: feed it byte chunks as they arrive (frames may be split anywhere), it
 * emits whole frames. Not thread-safe; one per stream.
 *
 * <p>A header declaring a message longer than {@code maxMessageSize} fails the feed that completes
 * the header ({@link MessageTooLargeException}): the decoder never holds more than one chunk beyond
 * a header it has checked, so a hostile length cannot make it buffer or allocate more.
 */
public final class FrameDecoder {
  private final int maxMessageSize;
  private byte[] buf = new byte[256];
  private int len;

  public FrameDecoder(int maxMessageSize) {
    this.maxMessageSize = maxMessageSize;
  }

  public void feed(byte[] data, int offset, int length, Consumer<Frame> out)
      throws ProtocolException {
    ensure(len + length);
    System.arraycopy(data, offset, buf, len, length);
    len += length;
    int pos = 0;
    while (len - pos >= FrameCodec.HEADER_SIZE) {
      long header = FrameCodec.readHeader(buf, pos);
      long size = header & 0xFFFFFFFFL;
      if (size > maxMessageSize) {
        throw new MessageTooLargeException(size, maxMessageSize);
      }
      if (len - pos - FrameCodec.HEADER_SIZE < size) {
        break;
      }
      int code = (int) (header >>> 48);
      int flags = (int) ((header >>> 32) & 0xFFFF);
      int start = pos + FrameCodec.HEADER_SIZE;
      byte[] payload = Arrays.copyOfRange(buf, start, start + (int) size);
      pos = start + (int) size;
      out.accept(new Frame(code, flags, payload));
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, len - pos);
      len -= pos;
    }
  }

  public boolean hasPartialFrame() {
    return len > 0;
  }

  private void ensure(int capacity) {
    if (capacity > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(capacity, buf.length * 2));
    }
  }
}
