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
  @TempDir
  Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aGroupGetsConsecutiveLsnsAndIsDeliveredInOrderBetweenSingleAppends() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    LocalLog log = LocalLog.open(dir, 2);
    log.subscribe(1, (p, lsn, payload) -> seen.add(lsn + ":" + new String(payload, StandardCharsets.UTF_8)));
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
    again.replay(new long[] {0, 2}, (p, lsn, payload) -> replayed.add(lsn + ":" + new String(payload, StandardCharsets.UTF_8)));
    assertThat(replayed).containsExactly("3:c", "4:d", "5:e");
    assertThat(again.append(0, b("f")).get()).isEqualTo(6);
    again.close();
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
    java.nio.file.Files.writeString(dir.resolve(LocalLog.CLEAN_MARKER), f[0] + " " + (Long.parseLong(f[1]) - 20)
        + " 1\n");
    LocalLog again = LocalLog.open(dir, 1);
    assertThat(again.append(0, b("d")).get()).isEqualTo(4);
    List<String> replayed = new ArrayList<>();
    again.close();
    LocalLog third = LocalLog.open(dir, 1);
    third.replay(new long[] {0}, (p, lsn, payload) -> replayed.add(lsn + ":" + new String(payload, StandardCharsets.UTF_8)));
    assertThat(replayed).containsExactly("1:a", "2:b", "3:c", "4:d");
    third.close();
  }
}
