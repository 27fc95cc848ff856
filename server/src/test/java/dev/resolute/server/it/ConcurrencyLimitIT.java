package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code worker.invoker.concurrent-invocations-limit}: with a limit of 2, six concurrent calls of a
 * handler that sleeps 2.5 s (its attempt stays in flight while it waits for the timer) run two at a
 * time: all six succeed (the others waited, none failed), in no less than three rounds. The same on
 * Resolute and on restate-server 1.7.12. Without the limit all six run at once (about 2.5 s).
 *
 * <p>One partition: restate-server 1.7.12 with four partitions ran the six calls in two rounds (5.3
 * s), i.e. its limit did not hold node-wide there; with one partition it runs three rounds as
 * Resolute does. Resolute's limit is node-wide, as restate's documentation states it ("number of
 * concurrent invocations that can be processed by the invoker" of this node).
 */
@Timeout(300)
class ConcurrencyLimitIT {
  static final Map<String, String> ENV =
      Map.of(
          "RESTATE_WORKER__INVOKER__CONCURRENT_INVOCATIONS_LIMIT",
          "2",
          "RESTATE_DEFAULT_NUM_PARTITIONS",
          "1");
  static final long SLEEP_MILLIS = 2500;
  static Harness resolute;
  static Harness restate;

  @BeforeAll
  static void start() throws Exception {
    resolute = Harness.resolute("concurrency-limit", ENV);
    restate = Harness.restate(resolute, ENV);
  }

  @AfterAll
  static void stop() throws Exception {
    if (restate != null) {
      restate.close();
    }
    if (resolute != null) {
      resolute.close();
    }
  }

  @Test
  void callsOverTheLimitWaitForASlotAndAllSucceed() throws Exception {
    for (Harness h : new Harness[] {resolute, restate}) {
      String who = h.reference ? "restate-server" : "Resolute";
      long t0 = System.nanoTime();
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(h.callAsync("/Greeter/sleepy", Long.toString(SLEEP_MILLIS)));
      }
      for (CompletableFuture<HttpResponse<String>> c : calls) {
        HttpResponse<String> r = c.get();
        assertThat(r.statusCode()).as(who + ": " + r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("\"slept " + SLEEP_MILLIS + "\"");
      }
      long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
      assertThat(elapsedMillis)
          .as(who + ": six calls, two at a time")
          .isGreaterThanOrEqualTo(3 * SLEEP_MILLIS);
    }
  }
}
