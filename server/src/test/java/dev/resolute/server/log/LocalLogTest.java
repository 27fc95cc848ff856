package dev.resolute.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group appends: consecutive LSNs, delivered in order, durable across a reopen. */
class LocalLogTest {
  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aGroupGetsConsecutiveLsnsAndIsDeliveredInOrderBetweenSingleAppends() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    LocalLog log = LocalLog.open(dir, 2);
    log.subscribe(
        1, (p, lsn, payload) -> seen.add(lsn + ":" + new String(payload, StandardCharsets.UTF_8)));
    long a = log.append(1, b("a")).get();
    long last = log.appendAll(1, List.of(b("b"), b("c"), b("d"))).get();
    long e = log.append(1, b("e")).get();
    log.close();
    assertThat(a).isEqualTo(1);
    assertThat(last).isEqualTo(4);
    assertThat(e).isEqualTo(5);
    assertThat(seen).containsExactly("1:a", "2:b", "3:c", "4:d", "5:e");

    List<String> replayed = new ArrayList<>();
    LocalLog again = LocalLog.open(dir, 2);
    again.replay(
        new long[] {0, 2},
        (p, lsn, payload) -> replayed.add(lsn + ":" + new String(payload, StandardCharsets.UTF_8)));
    assertThat(replayed).containsExactly("3:c", "4:d", "5:e");
    assertThat(again.append(0, b("f")).get()).isEqualTo(6);
    again.close();
  }

  @Test
  void recordsAppendedWithTheirDecodedFormReachTheConsumerWithItAndOnlyThose() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    LocalLog log = LocalLog.open(dir, 1);
    log.subscribe(
        0,
        new Log.RecordConsumer() {
          @Override
          public void accept(int p, long lsn, byte[] payload) {
            throw new AssertionError("the log calls the four-argument form");
          }

          @Override
          public void accept(int p, long lsn, byte[] payload, Object decoded) {
            seen.add(lsn + ":" + new String(payload, StandardCharsets.UTF_8) + "=" + decoded);
          }
        });
    log.append(0, b("a")).get();
    log.appendDecoded(0, List.of(b("b"), b("c")), List.of("B", "C"), true).get();
    log.appendAll(0, List.of(b("d"))).get();
    log.appendDecoded(0, List.of(b("e")), List.of("E"), false).get();
    log.close();
    assertThat(seen).containsExactly("1:a=null", "2:b=B", "3:c=C", "4:d=null", "5:e=E");
  }

  @Test
  void anEmptyGroupCompletesAtOnce() throws Exception {
    LocalLog log = LocalLog.open(dir, 1);
    assertThat(log.appendAll(0, List.of()).get()).isZero();
    log.close();
  }

  @Test
  void aCleanCloseLeavesAMarkerThatTheNextOpenUsesAndRemoves() throws Exception {
    LocalLog log = LocalLog.open(dir, 1);
    log.appendAll(0, List.of(b("a"), b("b"))).get();
    log.close();
    assertThat(dir.resolve(LocalLog.CLEAN_MARKER)).exists();
    LocalLog again = LocalLog.open(dir, 1);
    assertThat(dir.resolve(LocalLog.CLEAN_MARKER)).doesNotExist();
    assertThat(again.append(0, b("c")).get()).isEqualTo(3);
    again.close();
  }

  @Test
  void aMarkerThatDoesNotMatchTheSegmentIsIgnored() throws Exception {
    LocalLog log = LocalLog.open(dir, 1);
    log.appendAll(0, List.of(b("a"), b("b"), b("c"))).get();
    log.close();
    String marker = java.nio.file.Files.readString(dir.resolve(LocalLog.CLEAN_MARKER));
    String[] f = marker.trim().split(" ");
    // as if records were appended after the marker was written (a crash of a later run)
    java.nio.file.Files.writeString(
        dir.resolve(LocalLog.CLEAN_MARKER), f[0] + " " + (Long.parseLong(f[1]) - 20) + " 1\n");
    LocalLog again = LocalLog.open(dir, 1);
    assertThat(again.append(0, b("d")).get()).isEqualTo(4);
    List<String> replayed = new ArrayList<>();
    again.close();
    LocalLog third = LocalLog.open(dir, 1);
    third.replay(
        new long[] {0},
        (p, lsn, payload) -> replayed.add(lsn + ":" + new String(payload, StandardCharsets.UTF_8)));
    assertThat(replayed).containsExactly("1:a", "2:b", "3:c", "4:d");
    third.close();
  }

  static List<Long> segmentFirstLsns(Path dir) throws Exception {
    try (var s = java.nio.file.Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".seg"))
          .sorted()
          .map(n -> Long.parseLong(n.substring(0, n.length() - 4)))
          .toList();
    }
  }

  @Test
  void trimDeletesOnlyClosedSegmentsWhollyAtOrBelowTheGivenLsnAndLsnsContinueAfterAReopen()
      throws Exception {
    byte[] payload = new byte[1000];
    LocalLog log = LocalLog.open(dir, 2, 4096); // ~3 records per segment
    for (int i = 0; i < 20; i++) {
      log.append(i % 2, payload).get();
    }
    List<Long> firsts = segmentFirstLsns(dir);
    assertThat(firsts.size()).isGreaterThan(4);
    assertThat(log.firstLsn()).isEqualTo(1);
    assertThat(log.deliveredUpTo()).isEqualTo(20);

    // below the end of the first segment: nothing goes
    assertThat(log.trimmableUpTo(firsts.get(1) - 2)).isZero();
    assertThat(log.trim(firsts.get(1) - 2)).isZero();
    // up to the last LSN of the third segment (and a little into the fourth): three go
    long upTo = firsts.get(3) - 1;
    assertThat(log.trimmableUpTo(upTo + 1)).isEqualTo(upTo);
    assertThat(log.trim(upTo + 1)).isEqualTo(3);
    assertThat(log.firstLsn()).isEqualTo(firsts.get(3));
    assertThat(segmentFirstLsns(dir)).isEqualTo(firsts.subList(3, firsts.size()));
    // everything applied: all but the segment being written go
    assertThat(log.trim(Long.MAX_VALUE)).isEqualTo(firsts.size() - 4);
    assertThat(segmentFirstLsns(dir)).containsExactly(firsts.get(firsts.size() - 1));
    log.close();

    LocalLog again = LocalLog.open(dir, 2, 4096);
    assertThat(again.firstLsn()).isEqualTo(firsts.get(firsts.size() - 1));
    List<Long> replayed = new ArrayList<>();
    again.replay(new long[] {0, 0}, (p, lsn, b) -> replayed.add(lsn));
    assertThat(replayed)
        .isNotEmpty()
        .allMatch(l -> l >= firsts.get(firsts.size() - 1))
        .endsWith(20L);
    assertThat(again.append(0, payload).get()).isEqualTo(21);
    again.close();
  }

  @Test
  void aTrimmedLogRecoversItsTailAfterACrashWithoutAMarker() throws Exception {
    byte[] payload = new byte[1000];
    LocalLog log = LocalLog.open(dir, 1, 4096);
    for (int i = 0; i < 12; i++) {
      log.append(0, payload).get();
    }
    log.trim(Long.MAX_VALUE);
    log.close();
    java.nio.file.Files.delete(dir.resolve(LocalLog.CLEAN_MARKER)); // as after a SIGKILL
    LocalLog again = LocalLog.open(dir, 1, 4096);
    assertThat(again.append(0, payload).get()).isEqualTo(13);
    again.close();
  }

  @Test
  void afterACrashTheReplayDeliversTheRecoveredTailOnceAndNothingOfATornFrame() throws Exception {
    LocalLog log = LocalLog.open(dir, 2);
    log.appendAll(0, List.of(b("a"), b("b"))).get();
    log.append(1, b("c")).get();
    log.append(0, b("d")).get();
    log.close();
    java.nio.file.Files.delete(dir.resolve(LocalLog.CLEAN_MARKER)); // as after a SIGKILL
    Path seg =
        segmentFirstLsns(dir).stream()
            .map(f -> dir.resolve(String.format("%020d.seg", f)))
            .findFirst()
            .orElseThrow();
    // a torn frame: a length and a CRC, then fewer bytes than the length says
    java.nio.file.Files.write(
        seg, new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 0, 0}, java.nio.file.StandardOpenOption.APPEND);

    LocalLog again = LocalLog.open(dir, 2);
    List<String> replayed = new ArrayList<>();
    again.replay(
        new long[] {1, 0},
        (p, lsn, payload) ->
            replayed.add(p + "/" + lsn + ":" + new String(payload, StandardCharsets.UTF_8)));
    assertThat(replayed).containsExactly("0/2:b", "1/3:c", "0/4:d");
    assertThat(again.append(1, b("e")).get()).isEqualTo(5);
    // a second replay reads the segment again (it grew since recovery)
    List<String> second = new ArrayList<>();
    again.replay(
        new long[] {3, 3},
        (p, lsn, payload) -> second.add(lsn + ":" + new String(payload, StandardCharsets.UTF_8)));
    assertThat(second).containsExactly("4:d", "5:e");
    again.close();
  }

  /** Appends {@code n} records of 1000 bytes to partition {@code n % 2}, in groups of 100. */
  static void fill(LocalLog log, int n) throws Exception {
    for (int i = 0; i < n; i += 100) {
      List<byte[]> group = new ArrayList<>();
      for (int j = 0; j < 100; j++) {
        group.add(new byte[1000]);
      }
      log.appendAll(i / 100 % 2, group).get();
    }
  }

  @Test
  void afterACrashRecoveryAndReplayStartAtAMarkAndFindEveryRecordAfterIt() throws Exception {
    LocalLog log = LocalLog.open(dir, 2);
    log.awaitNextSegment(); // every record in segment 1
    fill(log, 5000); // ~5 MiB: marks every MiB
    log.close();
    java.nio.file.Files.delete(dir.resolve(LocalLog.CLEAN_MARKER)); // as after a SIGKILL
    Path seg = dir.resolve(String.format("%020d.seg", 1));
    List<String> marks = java.nio.file.Files.readAllLines(LocalLog.marksOf(seg));
    assertThat(marks).hasSizeGreaterThanOrEqualTo(4);

    LocalLog again = LocalLog.open(dir, 2);
    List<Long> replayed = new ArrayList<>();
    again.replay(new long[] {4950, 4990}, (p, lsn, payload) -> replayed.add(lsn));
    // partition 0 holds groups 0, 2, ... (lsns 1-100, 201-300, ...), partition 1 the others
    assertThat(replayed)
        .containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(4991, 5000).boxed().toList());
    assertThat(again.append(0, b("x")).get()).isEqualTo(5001);
    again.close();
  }

  @Test
  void aMarkThatDoesNotHoldIsSkipped() throws Exception {
    LocalLog log = LocalLog.open(dir, 2);
    log.awaitNextSegment(); // every record in segment 1
    fill(log, 3000);
    log.close();
    java.nio.file.Files.delete(dir.resolve(LocalLog.CLEAN_MARKER));
    Path seg = dir.resolve(String.format("%020d.seg", 1));
    List<String> marks = java.nio.file.Files.readAllLines(LocalLog.marksOf(seg));
    String[] last = marks.get(marks.size() - 1).split(" ");
    // a mark whose offset is not a frame boundary, one naming the wrong lsn, a torn line
    java.nio.file.Files.writeString(
        LocalLog.marksOf(seg),
        String.join("\n", marks)
            + "\n"
            + (Long.parseLong(last[0]) + 7)
            + " 2999\n"
            + last[0]
            + " "
            + (Long.parseLong(last[1]) + 5)
            + "\n123",
        StandardCharsets.US_ASCII);
    LocalLog again = LocalLog.open(dir, 2);
    List<Long> replayed = new ArrayList<>();
    again.replay(new long[] {2995, 2995}, (p, lsn, payload) -> replayed.add(lsn));
    assertThat(replayed).containsExactly(2996L, 2997L, 2998L, 2999L, 3000L);
    assertThat(again.append(0, b("x")).get()).isEqualTo(3001);
    again.close();
  }
}
