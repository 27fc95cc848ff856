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
 * Always-suspending mode, as Restate's SDK test suite runs it: the server starts with {@code
 * RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT=0s}, so an attempt is suspended as soon as the
 * deployment waits for a completion and every step is a replay. The same workflow runs on Resolute
 * and on restate-server 1.7.12, with the same answer and the same number of executions.
 */
@Timeout(300)
class AlwaysSuspendingIT {
  static final Map<String, String> ENV =
      Map.of("RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT", "0s");
  static Harness resolute;
  static Harness restate;

  @BeforeAll
  static void start() throws Exception {
    resolute = Harness.resolute("suspending", ENV);
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

  /**
   * Sleep, ctx.run, call, awakeable, promise: five waits, each a suspension and a replay. Both
   * servers execute the handler seven times (restate-server 1.7.12 measured; with the default
   * inactivity timeout it runs once).
   */
  @Test
  void everyWaitSuspendsAndTheNextStepIsAReplay() throws Exception {
    long[] executions = new long[2];
    int i = 0;
    for (Harness h : new Harness[] {resolute, restate}) {
      String key = "wf-" + UUID.randomUUID();
      String counter = "ctr-" + UUID.randomUUID();
      HttpResponse<String> r = h.call("/Replays/" + key + "/run", "\"" + counter + "\"");
      assertThat(r.statusCode())
          .as((h.reference ? "restate-server: " : "Resolute: ") + r.body())
          .isEqualTo(200);
      assertThat(r.body()).isEqualTo("\"ran,1,awoken,promised\"");
      executions[i++] = h.marks("replays-" + key);
    }
    assertThat(executions).as("executions on Resolute, on restate-server").containsExactly(7L, 7L);
  }
}
