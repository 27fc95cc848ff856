package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Log trimming with tiny segments (16 KiB) and a trimming round every 200 ms: traffic rolls many
 * segments, trimming deletes all but the newest, the server is killed with SIGKILL right after a
 * trim, and after the restart every acknowledged add is counted exactly once, a lock held across
 * the trimmed segments (with calls queued behind it) and a workflow waiting on its promise both
 * complete, and trimming goes on.
 */
@Timeout(300)
class LogTrimmingIT {
  static final String[] KEYS = {"t1", "t2", "t3", "t4", "t5", "t6"};
  static Harness h;

  @BeforeAll
  static void start() throws Exception {
    h =
        Harness.resolute(
            "trim",
            Map.of("RESOLUTE_LOG_SEGMENT_BYTES", "16384", "RESOLUTE_LOG_TRIM_INTERVAL_MS", "200"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  Path logDir() {
    return h.dir.resolve("data").resolve("resolute").resolve("log");
  }

  List<Long> segments() throws Exception {
    try (Stream<Path> s = Files.list(logDir())) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".seg"))
          .sorted()
          .map(n -> Long.parseLong(n.substring(0, n.length() - 4)))
          .toList();
    }
  }

  long trimLines() throws Exception {
    return Files.readAllLines(h.dir.resolve("server.log")).stream()
        .filter(l -> l.contains("log trimmed"))
        .count();
  }

  /** 64 concurrent adds per round, spread over the keys; returns the acknowledged sum per key. */
  long[] addRounds(int rounds) throws Exception {
    long[] acked = new long[KEYS.length];
    for (int r = 0; r < rounds; r++) {
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        calls.add(h.callAsync("/Counter/" + KEYS[i % KEYS.length] + "/add", "1"));
      }
      for (int i = 0; i < calls.size(); i++) {
        HttpResponse<String> resp = calls.get(i).get();
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        acked[i % KEYS.length]++;
      }
    }
    return acked;
  }

  @Test
  void segmentsAreTrimmedAndStateAndInFlightWorkSurviveASigkillRightAfterATrim() throws Exception {
    // in-flight work whose records sit in the oldest segments
    h.sendId("/Counter/tl1/hold/send", "\"tl1\"");
    String awk = h.published("awk-tl1");
    h.sendId("/Counter/tl1/append/send", "\"q1\"");
    h.sendId("/Counter/tl1/append/send", "\"q2\"");
    h.sendId("/Signup/wtl1/run/send", "\"ann\"");
    h.published("wf-started-wtl1");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> h.call("/Signup/wtl1/status", null).body().equals("\"waiting\""));

    long[] acked = addRounds(25);
    await().atMost(Duration.ofSeconds(20)).until(() -> segments().get(0) > 1 && trimLines() > 0);
    // the lock and the workflow are still waiting: their records were trimmed, their state was not
    assertThat(h.call("/Counter/tl1/log", null).body()).isEqualTo("\"\"");

    // more traffic, then SIGKILL as soon as the next trim has left only the segment being written
    long[] more = addRounds(10);
    for (int k = 0; k < KEYS.length; k++) {
      acked[k] += more[k];
    }
    long before = trimLines();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> segments().size() == 1 && trimLines() > before);
    List<Long> left = segments();
    h.restartServer();

    assertThat(segments().get(0)).isGreaterThanOrEqualTo(left.get(0));
    assertThat(Files.readString(h.dir.resolve("server.log"))).doesNotContain("refusing to start");
    for (int k = 0; k < KEYS.length; k++) {
      assertThat(h.call("/Counter/" + KEYS[k] + "/get", null).body())
          .as(KEYS[k])
          .isEqualTo(Long.toString(acked[k]));
    }
    assertThat(h.call("/restate/awakeables/" + awk + "/resolve", "\"x\"").statusCode())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> h.call("/Counter/tl1/log", null).body().equals("\"held-x,q1,q2\""));
    assertThat(h.call("/Signup/wtl1/approve", "\"zoe\"").body()).isEqualTo("\"ok\"");
    assertThat(h.ingressGet("/restate/workflow/Signup/wtl1/attach").body())
        .isEqualTo("\"ann approved by zoe\"");
    assertThat(h.marks("wf-started-wtl1")).isEqualTo(1);

    // trimming goes on after the restart, and a second crash recovers as well
    long afterRestart = trimLines();
    long[] last = addRounds(10);
    await().atMost(Duration.ofSeconds(20)).until(() -> trimLines() > afterRestart);
    h.restartServer();
    for (int k = 0; k < KEYS.length; k++) {
      assertThat(h.call("/Counter/" + KEYS[k] + "/get", null).body())
          .as(KEYS[k])
          .isEqualTo(Long.toString(acked[k] + last[k]));
    }
    assertThat(h.call("/Counter/tl1/append", "\"end\"").body()).isEqualTo("\"held-x,q1,q2,end\"");
  }
}
