package dev.resolute.server.log;

import dev.resolute.server.log.Log.RecordConsumer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reading {@link LocalLog}'s segment files: the frames of a segment up to its written end, a single
 * frame, the segment's marks. Frame: u32 length | u32 crc32c | i32 partition | i64 lsn | payload,
 * where length and crc cover partition+lsn+payload; a length below 12 (the zeros of a preallocated
 * segment) or a CRC that does not match ends the segment's written part.
 */
final class SegmentReader {
  private SegmentReader() {}

  /** Bytes read at a time by {@link #scan}; a frame longer than that is read whole. */
  private static final int SCAN_CHUNK = 1 << 20;

  /**
   * The last mark of {@code segment} whose LSN is below {@code beforeLsn} and that holds: the bytes
   * at its offset are a whole frame with a valid CRC and the LSN after the mark's. Returns {offset,
   * lsn of the frame before it}, or {0, 0} (scan from the start) when no mark holds. A mark only
   * tells where to start reading; what is read from there is checked as before.
   *
   * <p>Why starting there is safe: the mark was written after the fsync that made everything before
   * its offset durable, and recovery never shortens a segment below a durable size (a torn tail
   * lies after the last fsync), so the frames before a mark are the whole, acknowledged records
   * that were written there; a scan from the start would only check them again. A mark that does
   * not hold (a torn line, a segment rewritten since) is skipped.
   */
  static long[] lastValidMark(Path segment, long beforeLsn) throws IOException {
    Path m = LocalLog.marksOf(segment);
    if (!Files.exists(m)) {
      return new long[] {0, 0};
    }
    List<long[]> found = new ArrayList<>();
    for (String line : Files.readString(m, StandardCharsets.US_ASCII).split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length != 2) {
        continue;
      }
      try {
        long offset = Long.parseLong(f[0]);
        long lsn = Long.parseLong(f[1]);
        if (offset > 0 && lsn < beforeLsn) {
          found.add(new long[] {offset, lsn});
        }
      } catch (NumberFormatException ignored) {
        // a torn line
      }
    }
    found.sort((a, b) -> Long.compare(b[0], a[0]));
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      long size = ch.size();
      for (long[] mark : found) {
        if (mark[0] + 20 <= size && frameAt(ch, mark[0], size) == mark[1] + 1) {
          return mark;
        }
      }
    }
    return new long[] {0, 0};
  }

  /** The LSN of the whole, CRC-valid frame at {@code offset}, or -1 if there is none. */
  static long frameAt(FileChannel ch, long offset, long size) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(8);
    if (ch.read(head, offset) != 8) {
      return -1;
    }
    int len = head.getInt(0);
    int sum = head.getInt(4);
    if (len < 12 || offset + 8 + len > size) {
      return -1;
    }
    ByteBuffer body = ByteBuffer.allocate(len);
    while (body.hasRemaining()) {
      if (ch.read(body, offset + 8 + body.position()) < 0) {
        return -1;
      }
    }
    CRC32C crc = new CRC32C();
    crc.update(body.array(), 0, len);
    if ((int) crc.getValue() != sum) {
      return -1;
    }
    return body.getLong(4);
  }

  /** Whether the frame header at {@code offset} (or what of it the file holds) is all zeros. */
  static boolean zerosAt(Path segment, long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate(8);
      while (head.hasRemaining() && ch.read(head, offset + head.position()) > 0) {}
      for (int i = 0; i < head.position(); i++) {
        if (head.get(i) != 0) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Reads {@code p} from {@code from} (a frame boundary) and checks each frame; stops at the first
   * that is not whole, has a length below a frame's (the zeros of a preallocated segment) or whose
   * CRC does not match. Reads chunk by chunk, so a preallocated segment costs its written part, not
   * its file size. Returns {last lsn seen (0 if none), segment offset after the last valid frame}.
   */
  static long[] scan(Path p, long from, long[] applied, RecordConsumer consumer)
      throws IOException {
    long last = 0;
    long valid = from;
    CRC32C crc = new CRC32C();
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      long size = ch.size();
      byte[] chunk = new byte[(int) Math.min(SCAN_CHUNK, Math.max(0, size - from))];
      ByteBuffer b = ByteBuffer.wrap(chunk);
      long bufAt = from; // file offset of chunk[0]
      int filled = 0;
      frames:
      while (true) {
        // fill the chunk from the file as far as it goes
        ByteBuffer into = ByteBuffer.wrap(chunk, filled, chunk.length - filled);
        while (into.hasRemaining()) {
          int n = ch.read(into, bufAt + into.position());
          if (n <= 0) {
            break;
          }
        }
        filled = into.position();
        int at = 0;
        while (filled - at >= 8) {
          b.limit(filled).position(at);
          int len = b.getInt();
          int sum = b.getInt();
          if (len < 12 || bufAt + at + 8 + len > size) {
            break frames;
          }
          if (8 + len > filled - at) {
            if (8 + len > chunk.length) { // a frame longer than a chunk: read it whole
              byte[] bigger = new byte[8 + len];
              System.arraycopy(chunk, at, bigger, 0, filled - at);
              chunk = bigger;
              b = ByteBuffer.wrap(chunk);
              bufAt += at;
              filled -= at;
              continue frames;
            }
            break; // the rest of this frame is in the next chunk
          }
          crc.reset();
          crc.update(chunk, at + 8, len);
          if ((int) crc.getValue() != sum) {
            break frames;
          }
          int partition = b.getInt();
          long lsn = b.getLong();
          last = lsn;
          if (consumer != null && partition < applied.length && lsn > applied[partition]) {
            byte[] payload = new byte[len - 12];
            b.get(payload);
            consumer.accept(partition, lsn, payload);
          } // else already applied (or only finding the end): no copy of the payload
          at += 8 + len;
          valid = bufAt + at;
        }
        if (bufAt + filled >= size || at == 0 && filled == chunk.length) {
          break; // the file's end, or a chunk that holds no whole frame (cannot happen)
        }
        // keep the partial frame at the chunk's start, read on after it
        System.arraycopy(chunk, at, chunk, 0, filled - at);
        bufAt += at;
        filled -= at;
      }
    }
    return new long[] {last, valid};
  }
}
