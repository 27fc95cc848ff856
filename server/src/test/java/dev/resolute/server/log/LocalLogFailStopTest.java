package dev.resolute.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected at the segment files' {@code FileChannel}: a failed write, fsync, short write or
 * full disk stops the log for writes (the failing and every later append fail with {@link
 * LocalLog.LogStoppedException}), and a reopen recovers exactly the acknowledged records.
 */
@Timeout(30)
class LocalLogFailStopTest {
  @TempDir Path dir;

  final FaultyChannel.Faults faults = new FaultyChannel.Faults();

  /** The log on faulty segment files, its first preallocated segment prepared before any fault. */
  LocalLog open() {
    LocalLog log = LocalLog.open(dir, 2, LogOptions.DEFAULT_SEGMENT_BYTES, faults);
    log.awaitNextSegment();
    return log;
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Every record a fresh open replays, as "lsn:payload". */
  List<String> recovered() {
    List<String> out = new ArrayList<>();
    LocalLog log = LocalLog.open(dir, 2);
    log.replay(
        new long[] {0, 0},
        (p, lsn, payload) -> out.add(lsn + ":" + new String(payload, StandardCharsets.UTF_8)));
    log.close();
    return out;
  }

  static Throwable failureOf(CompletableFuture<Long> f) {
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    return f.handle((v, t) -> t).join();
  }

  /** The sizes of the segment files, added up. */
  long segmentBytes() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".seg")).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** The written ends of the segments (their frames, without the zeros after), added up. */
  long writtenBytes() throws IOException {
    long sum = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".seg")).toList()) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(p));
        while (b.remaining() >= 8 && b.getInt(b.position()) >= 12) {
          b.position(b.position() + 8 + b.getInt(b.position()));
        }
        sum += b.position();
      }
    }
    return sum;
  }

  /** The three checks every fault shares, after "a" and "b" were acknowledged and "c" failed. */
  void assertStoppedAndRecoverable(LocalLog log, CompletableFuture<Long> failed, String causeText)
      throws Exception {
    Throwable t = failureOf(failed);
    assertThat(t)
        .isInstanceOf(LocalLog.LogStoppedException.class)
        .hasMessageContaining("the log stopped accepting writes")
        .hasMessageContaining(causeText);
    assertThat(log.failure()).isSameAs(t);
    // later appends fail at once, without touching the disk
    assertThat(failureOf(log.append(0, b("d")))).isSameAs(t);
    assertThat(failureOf(log.appendAll(1, List.of(b("e"), b("f"))))).isSameAs(t);
    assertThat(log.lastLsn()).as("the last durable record").isEqualTo(2);
    log.close();
    assertThat(dir.resolve(LocalLog.CLEAN_MARKER))
        .as("no clean marker after a failure")
        .doesNotExist();
    assertThat(recovered()).containsExactly("1:a", "2:b");
    // and the log goes on where the acknowledged records end
    LocalLog again = LocalLog.open(dir, 2);
    assertThat(again.append(0, b("g")).get()).isEqualTo(3);
    again.close();
    assertThat(recovered()).containsExactly("1:a", "2:b", "3:g");
  }

  @Test
  void aFailedWriteStopsTheLog() throws Exception {
    LocalLog log = open();
    log.append(0, b("a")).get();
    log.append(1, b("b")).get();
    faults.writeError = new IOException("Input/output error");
    assertStoppedAndRecoverable(log, log.append(0, b("c")), "Input/output error");
  }

  @Test
  void aFailedFsyncStopsTheLogAndTheWrittenButUnsyncedBatchIsTruncated() throws Exception {
    LocalLog log = open();
    log.append(0, b("a")).get();
    log.append(1, b("b")).get();
    long durable = writtenBytes();
    faults.forceError = new IOException("Input/output error");
    CompletableFuture<Long> c = log.append(0, b("c"));
    failureOf(c);
    // "c" reached the file but not the disk for sure: it is cut away at once, with the zeros after
    assertThat(segmentBytes()).isEqualTo(durable);
    faults.forceError = null;
    assertStoppedAndRecoverable(log, c, "Input/output error");
  }

  @Test
  void aShortWriteThatCannotBeFinishedLeavesNoPartialFrame() throws Exception {
    LocalLog log = open();
    log.append(0, b("a")).get();
    log.append(1, b("b")).get();
    long durable = writtenBytes();
    faults.shortWriteBytes = 7; // half a frame header, then the next write fails
    faults.writeError = FaultyChannel.noSpace();
    CompletableFuture<Long> c = log.appendAll(0, List.of(b("c1"), b("c2")));
    failureOf(c);
    assertThat(segmentBytes()).isEqualTo(durable);
    assertStoppedAndRecoverable(log, c, "No space left on device");
  }

  @Test
  void aFullDiskStopsTheLogAndARestartOnceSpaceIsFreedGoesOn() throws Exception {
    LocalLog log = open();
    log.append(0, b("a")).get();
    log.append(1, b("b")).get();
    faults.writeError = FaultyChannel.noSpace();
    assertStoppedAndRecoverable(log, log.append(0, b("c")), "No space left on device");
  }

  @Test
  void shortWritesThatProgressAreFinishedAndAcknowledged() throws Exception {
    LocalLog log = open();
    faults.maxBytesPerWrite = 5; // after the open: the segment's zeros are written in full chunks
    assertThat(log.appendAll(0, List.of(b("alpha"), b("beta"), b("gamma"))).get()).isEqualTo(3);
    assertThat(log.failure()).isNull();
    log.close();
    assertThat(recovered()).containsExactly("1:alpha", "2:beta", "3:gamma");
  }

  @Test
  void appendsWaitingBehindTheFailedBatchFailAndAreNeverWritten() throws Exception {
    LocalLog log = open();
    log.append(0, b("a")).get();
    log.append(1, b("b")).get();
    faults.forceEntered = new CountDownLatch(1);
    faults.forceGate = new CountDownLatch(1);
    CompletableFuture<Long> c = log.append(0, b("c"));
    assertThat(faults.forceEntered.await(10, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<Long>> waiting = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      waiting.add(log.append(i % 2, b("w" + i)));
    }
    faults.forceError = new IOException("Input/output error");
    faults.forceGate.countDown();
    for (CompletableFuture<Long> w : waiting) {
      assertThat(failureOf(w)).isInstanceOf(LocalLog.LogStoppedException.class);
    }
    faults.forceGate = null;
    faults.forceError = null;
    assertStoppedAndRecoverable(log, c, "Input/output error");
  }

  @Test
  void aSegmentThatCannotBeStartedStopsTheLog() throws Exception {
    LocalLog log = LocalLog.open(dir, 2, 4096, faults);
    log.awaitNextSegment();
    log.append(0, b("a")).get();
    log.append(1, b("b")).get();
    faults.openError = FaultyChannel.noSpace();
    CompletableFuture<Long> c = log.append(0, new byte[5000]); // does not fit: a new segment
    Throwable t = failureOf(c);
    faults.openError = null;
    assertThat(t).isInstanceOf(LocalLog.LogStoppedException.class);
    assertThat(failureOf(log.append(0, b("d")))).isSameAs(t);
    log.close();
    assertThat(recovered()).containsExactly("1:a", "2:b");
  }

  @Test
  void whenEvenTheTruncationFailsTheLogStaysGapFree() throws Exception {
    LocalLog log = open();
    log.append(0, b("a")).get();
    log.append(1, b("b")).get();
    faults.forceError = new IOException("Input/output error");
    faults.truncateError = new IOException("Input/output error");
    CompletableFuture<Long> c = log.append(0, b("c"));
    failureOf(c);
    assertThat(failureOf(log.append(0, b("d")))).isInstanceOf(LocalLog.LogStoppedException.class);
    log.close();
    // "c" was never acknowledged but may have reached the disk: the log is then a, b, c — never
    // anything after a gap, and nothing appended after the failure
    assertThat(recovered()).containsExactly("1:a", "2:b", "3:c");
    LocalLog again = LocalLog.open(dir, 2);
    assertThat(again.append(0, b("e")).get()).isEqualTo(4);
    again.close();
  }

  @Test
  void aConsumerThatThrowsStopsTheLogButItsDurableRecordIsReplayed() throws Exception {
    LocalLog log = open();
    log.subscribe(
        0,
        (p, lsn, payload) -> {
          if (lsn == 2) {
            throw new IllegalStateException("boom");
          }
        });
    log.append(0, b("a")).get();
    Throwable t = failureOf(log.append(0, b("b")));
    assertThat(t).isInstanceOf(LocalLog.LogStoppedException.class).hasMessageContaining("boom");
    assertThat(failureOf(log.append(0, b("c")))).isSameAs(t);
    log.close();
    assertThat(recovered()).containsExactly("1:a", "2:b");
  }
}
