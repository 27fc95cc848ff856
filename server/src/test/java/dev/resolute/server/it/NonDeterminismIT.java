package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A replay that diverges from its journal (a journal mismatch, error 570) is a failed attempt under
 * the default retry policy from the environment, as Restate's SDK test suite configures it: one
 * attempt, then kill. The handler sets no retry policy of its own, so only the configured default
 * can stop it; the same calls run on Resolute and on restate-server 1.7.12.
 */
@Timeout(300)
class NonDeterminismIT {
  static final Map<String, String> ENV =
      Map.of(
          "RESTATE_DEFAULT_RETRY_POLICY__MAX_ATTEMPTS", "1",
          "RESTATE_DEFAULT_RETRY_POLICY__ON_MAX_ATTEMPTS", "kill",
          "RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL", "1ms");
  static Harness resolute;
  static Harness restate;

  @BeforeAll
  static void start() throws Exception {
    resolute = Harness.resolute("nondeterminism", ENV);
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
  void aJournalMismatchUsesUpTheOneAttemptAndKillsTheInvocation() throws Exception {
    int[] statuses = new int[2];
    int i = 0;
    for (Harness h : new Harness[] {resolute, restate}) {
      String who = h.reference ? "restate-server" : "Resolute";
      String key = "nd-" + UUID.randomUUID();
      HttpResponse<String> r = h.call("/Diverging/" + key + "/setDifferentKey", null);
      assertThat(r.statusCode()).as(who + ": " + r.body()).isNotEqualTo(200);
      statuses[i++] = r.statusCode();
      HttpResponse<String> count = h.call("/Counter/" + key + "/get", null);
      assertThat(count.body())
          .as(who + ": the counter touched before the divergence")
          .isEqualTo("1");
    }
    assertThat(statuses[0]).as("status on Resolute").isEqualTo(statuses[1]);
  }
}
