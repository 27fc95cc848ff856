package dev.resolute.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preallocated segments: written in place up to their written end, zeros after it; recovery finds
 * that end (never a frame in the zeros, never a stale frame behind a torn one), a clean reopen goes
 * on in place, a crash or an old-format segment starts a new segment, rollover and trimming go by
 * the written end.
 */
@Timeout(60)
class LocalLogPreallocTest {
  static final long SEGMENT = 64 * 1024;

  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  Path seg(long firstLsn) {
    return dir.resolve(String.format("%020d.seg", firstLsn));
  }

  List<Long> segments() throws Exception {
    return LocalLogTest.segmentFirstLsns(dir);
  }

  /** Every record a replay of the whole log delivers, as "lsn:payload". */
  List<String> replayAll(LocalLog log) {
    List<String> out = new ArrayList<>();
    log.replay(
        new long[] {0, 0},
        (p, lsn, payload) -> out.add(lsn + ":" + new String(payload, StandardCharsets.UTF_8)));
    return out;
  }

  void crash() throws Exception {
    Files.delete(dir.resolve(LocalLog.CLEAN_MARKER)); // as after a SIGKILL
  }

  /** A frame as the log writes it. */
  static byte[] frame(int partition, long lsn, byte[] payload) {
    ByteBuffer f = ByteBuffer.allocate(20 + payload.length);
    f.putInt(12 + payload.length).putInt(0).putInt(partition).putLong(lsn).put(payload);
    CRC32C crc = new CRC32C();
    crc.update(f.array(), 8, 12 + payload.length);
    f.putInt(4, (int) crc.getValue());
    return f.array();
  }

  @Test
  void aNewSegmentIsPreallocatedAndACleanReopenGoesOnInPlace() throws Exception {
    LocalLog log = LocalLog.open(dir, 2, SEGMENT);
    log.awaitNextSegment();
    log.append(0, b("a")).get();
    log.append(1, b("b")).get();
    log.close();
    assertThat(Files.size(seg(1))).isEqualTo(SEGMENT);
    assertThat(dir.resolve(LocalLog.SPARE)).doesNotExist();

    LocalLog again = LocalLog.open(dir, 2, SEGMENT);
    again.awaitNextSegment();
    assertThat(again.append(0, b("c")).get()).isEqualTo(3);
    assertThat(segments()).containsExactly(1L);
    assertThat(Files.size(seg(1))).isEqualTo(SEGMENT);
    assertThat(replayAll(again)).containsExactly("1:a", "2:b", "3:c");
    again.close();
  }

  @Test
  void anOpenDoesNotWaitForTheZerosAndTheWriterMovesToThePreparedSegment() throws Exception {
    LocalLog log = LocalLog.open(dir, 2, SEGMENT);
    // written at once: into the growing first segment, or the prepared one if it is ready already
    assertThat(log.append(0, b("a")).get()).isEqualTo(1);
    log.awaitNextSegment();
    assertThat(log.append(1, b("b")).get()).isEqualTo(2);
    List<Long> segs = segments();
    assertThat(segs).startsWith(1L).hasSizeLessThanOrEqualTo(2);
    assertThat(Files.size(seg(segs.get(segs.size() - 1)))).isEqualTo(SEGMENT);
    assertThat(replayAll(log)).containsExactly("1:a", "2:b");
    log.close();
    LocalLog again = LocalLog.open(dir, 2, SEGMENT);
    assertThat(again.append(0, b("c")).get()).isEqualTo(3);
    assertThat(segments()).isEqualTo(segs);
    assertThat(replayAll(again)).containsExactly("1:a", "2:b", "3:c");
    again.close();
  }

  @Test
  void afterACrashTheSegmentIsCutAtItsWrittenEndAndANewOneStarts() throws Exception {
    LocalLog log = LocalLog.open(dir, 2, SEGMENT);
    log.awaitNextSegment();
    log.appendAll(0, List.of(b("a"), b("b"))).get();
    log.append(1, b("c")).get();
    log.close();
    crash();
    long written = 3 * (20 + 1);

    LocalLog again = LocalLog.open(dir, 2, SEGMENT);
    again.awaitNextSegment();
    assertThat(segments()).containsExactly(1L, 4L);
    assertThat(Files.size(seg(1))).isEqualTo(written);
    assertThat(again.append(0, b("d")).get()).isEqualTo(4);
    assertThat(Files.size(seg(4))).as("the prepared segment took its place").isEqualTo(SEGMENT);
    assertThat(replayAll(again)).containsExactly("1:a", "2:b", "3:c", "4:d");
    again.close();
  }

  @Test
  void aTornFrameFollowedByZerosEndsTheSegment() throws Exception {
    LocalLog log = LocalLog.open(dir, 2, SEGMENT);
    log.awaitNextSegment();
    log.append(0, b("a")).get();
    log.append(1, b("b")).get();
    log.close();
    crash();
    // the start of a frame of the next batch: its header and part of its payload, then zeros
    byte[] torn = Arrays.copyOf(frame(0, 3, b("ccccccccccccc")), 25);
    try (var ch = java.nio.channels.FileChannel.open(seg(1), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(torn), 2 * 21);
    }

    LocalLog again = LocalLog.open(dir, 2, SEGMENT);
    again.awaitNextSegment();
    assertThat(Files.size(seg(1))).isEqualTo(2 * 21);
    assertThat(again.append(1, b("d")).get()).isEqualTo(3);
    assertThat(replayAll(again)).containsExactly("1:a", "2:b", "3:d");
    again.close();
  }

  @Test
  void aWholeFrameBehindATornOneNeverComesBack() throws Exception {
    LocalLog log = LocalLog.open(dir, 2, SEGMENT);
    log.awaitNextSegment();
    log.append(0, b("a")).get();
    log.appendAll(0, List.of(b("b"), b("c"))).get();
    log.close();
    crash();
    // as if the batch b, c was torn: b's page never reached the disk, c's did
    try (var ch = java.nio.channels.FileChannel.open(seg(1), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x55}), 21 + 20); // b's payload
    }
    LocalLog again = LocalLog.open(dir, 2, SEGMENT);
    again.awaitNextSegment();
    // "x" has b's length: written where b was, it would end exactly where the stale c begins
    assertThat(again.append(1, b("x")).get()).isEqualTo(2);
    again.close();
    crash();
    LocalLog third = LocalLog.open(dir, 2, SEGMENT);
    third.awaitNextSegment();
    assertThat(replayAll(third)).containsExactly("1:a", "2:x");
    assertThat(third.append(0, b("y")).get()).isEqualTo(3);
    assertThat(replayAll(third)).containsExactly("1:a", "2:x", "3:y");
    third.close();
  }

  @Test
  void aSegmentOfTheFormatBeforePreallocationOpensAndTheLogGoesOnInANewSegment() throws Exception {
    // as the log wrote before: frames only, the file ends at the last one; no marker
    Files.write(seg(1), concat(frame(0, 1, b("a")), frame(1, 2, b("b")), frame(0, 3, b("c"))));
    LocalLog log = LocalLog.open(dir, 2, SEGMENT);
    log.awaitNextSegment();
    assertThat(replayAll(log)).containsExactly("1:a", "2:b", "3:c");
    assertThat(log.append(1, b("d")).get()).isEqualTo(4);
    log.close();
    assertThat(segments()).containsExactly(1L, 4L);
    assertThat(Files.size(seg(1))).isEqualTo(3 * 21);

    // and with the clean marker such a log left
    Files.delete(seg(4));
    Files.writeString(dir.resolve(LocalLog.CLEAN_MARKER), seg(1).getFileName() + " 63 3\n");
    LocalLog again = LocalLog.open(dir, 2, SEGMENT);
    again.awaitNextSegment();
    assertThat(again.append(0, b("e")).get()).isEqualTo(4);
    assertThat(replayAll(again)).containsExactly("1:a", "2:b", "3:c", "4:e");
    again.close();
    assertThat(segments()).containsExactly(1L, 4L);
  }

  static byte[] concat(byte[]... parts) {
    ByteBuffer all = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] p : parts) {
      all.put(p);
    }
    return all.array();
  }

  @Test
  void rolloverGoesByTheWrittenEndAndTrimmingByLsns() throws Exception {
    byte[] payload = new byte[1000]; // frames of 1020 bytes: four fit in 4096
    LocalLog log = LocalLog.open(dir, 2, 4096);
    log.awaitNextSegment();
    for (int i = 0; i < 20; i++) {
      log.append(i % 2, payload).get();
    }
    assertThat(segments()).containsExactly(1L, 5L, 9L, 13L, 17L);
    for (long first : segments()) {
      assertThat(Files.size(seg(first))).isEqualTo(4096);
    }
    assertThat(log.trim(12)).isEqualTo(3);
    assertThat(segments()).containsExactly(13L, 17L);
    List<Long> replayed = new ArrayList<>();
    log.replay(new long[] {0, 0}, (p, lsn, b) -> replayed.add(lsn));
    assertThat(replayed).containsExactly(13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
    log.close();
    LocalLog again = LocalLog.open(dir, 2, 4096);
    again.awaitNextSegment();
    assertThat(again.append(0, payload).get()).isEqualTo(21);
    assertThat(segments()).containsExactly(13L, 17L, 21L);
    again.close();
  }

  @Test
  void framesAcrossAndLongerThanAScanChunkAreFoundAfterACrash() throws Exception {
    LocalLog log = LocalLog.open(dir, 2, 16 << 20);
    log.awaitNextSegment();
    List<Integer> sizes = List.of(700_000, 700_000, 3_000_000, 10, 900_000, 1 << 20);
    for (int i = 0; i < sizes.size(); i++) {
      byte[] p = new byte[sizes.get(i)];
      Arrays.fill(p, (byte) (i + 1));
      log.append(i % 2, p).get();
    }
    log.close();
    crash();
    LocalLog again = LocalLog.open(dir, 2, 16 << 20);
    again.awaitNextSegment();
    List<Integer> seen = new ArrayList<>();
    again.replay(
        new long[] {0, 0},
        (p, lsn, payload) -> {
          assertThat(payload).containsOnly((byte) lsn);
          seen.add(payload.length);
        });
    assertThat(seen).isEqualTo(sizes);
    assertThat(again.append(0, b("z")).get()).isEqualTo(7);
    again.close();
  }

  @Test
  void aSegmentThatCannotBePreallocatedIsCreatedEmptyAndGrows() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean full =
        new java.util.concurrent.atomic.AtomicBoolean();
    LocalLog.Channels channels =
        (path, options) -> {
          if (full.get() && path.getFileName().toString().equals(LocalLog.SPARE)) {
            java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path, options);
            return new java.nio.channels.FileChannel() { // writes fail as on a full disk
              @Override
              public int write(ByteBuffer src) throws java.io.IOException {
                throw new java.io.IOException("No space left on device");
              }

              @Override
              public int read(ByteBuffer dst) throws java.io.IOException {
                return ch.read(dst);
              }

              @Override
              public long read(ByteBuffer[] d, int o, int l) throws java.io.IOException {
                return ch.read(d, o, l);
              }

              @Override
              public long write(ByteBuffer[] s, int o, int l) throws java.io.IOException {
                throw new java.io.IOException("No space left on device");
              }

              @Override
              public long position() throws java.io.IOException {
                return ch.position();
              }

              @Override
              public java.nio.channels.FileChannel position(long p) throws java.io.IOException {
                ch.position(p);
                return this;
              }

              @Override
              public long size() throws java.io.IOException {
                return ch.size();
              }

              @Override
              public java.nio.channels.FileChannel truncate(long size) throws java.io.IOException {
                ch.truncate(size);
                return this;
              }

              @Override
              public void force(boolean metaData) throws java.io.IOException {
                ch.force(metaData);
              }

              @Override
              public long transferTo(long p, long c, java.nio.channels.WritableByteChannel t) {
                throw new UnsupportedOperationException();
              }

              @Override
              public long transferFrom(java.nio.channels.ReadableByteChannel s, long p, long c) {
                throw new UnsupportedOperationException();
              }

              @Override
              public int read(ByteBuffer dst, long p) throws java.io.IOException {
                return ch.read(dst, p);
              }

              @Override
              public int write(ByteBuffer src, long p) throws java.io.IOException {
                throw new java.io.IOException("No space left on device");
              }

              @Override
              public java.nio.MappedByteBuffer map(MapMode m, long p, long s) {
                throw new UnsupportedOperationException();
              }

              @Override
              public java.nio.channels.FileLock lock(long p, long s, boolean sh) {
                throw new UnsupportedOperationException();
              }

              @Override
              public java.nio.channels.FileLock tryLock(long p, long s, boolean sh) {
                throw new UnsupportedOperationException();
              }

              @Override
              protected void implCloseChannel() throws java.io.IOException {
                ch.close();
              }
            };
          }
          return java.nio.channels.FileChannel.open(path, options);
        };
    byte[] payload = new byte[1000];
    LocalLog log = LocalLog.open(dir, 2, 4096, channels);
    log.awaitNextSegment();
    full.set(true);
    for (int i = 0; i < 6; i++) {
      assertThat(log.append(i % 2, payload).get()).isEqualTo(i + 1);
    }
    assertThat(log.failure()).isNull();
    assertThat(segments()).containsExactly(1L, 5L);
    assertThat(Files.size(seg(1))).isEqualTo(4096);
    assertThat(Files.size(seg(5))).as("grows as written").isEqualTo(2 * 1020);
    assertThat(dir.resolve(LocalLog.SPARE)).as("the zeros given back").doesNotExist();
    log.close();
    full.set(false);
    LocalLog again = LocalLog.open(dir, 2, 4096, channels);
    again.awaitNextSegment();
    List<Long> replayed = new ArrayList<>();
    again.replay(new long[] {0, 0}, (p, lsn, b) -> replayed.add(lsn));
    assertThat(replayed).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(again.append(0, payload).get()).isEqualTo(7);
    again.close();
    assertThat(segments()).containsExactly(1L, 5L, 7L);
    assertThat(Files.size(seg(7))).isEqualTo(4096);
  }
}
