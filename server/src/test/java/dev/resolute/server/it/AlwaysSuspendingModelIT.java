package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link InvocationModelIT} once more in always-suspending mode (zero inactivity timeout), as
 * Restate's SDK test suite re-runs its tests: every wait of every handler is a suspension and a
 * replay, and every answer stays the same.
 */
class AlwaysSuspendingModelIT extends InvocationModelIT {
  @BeforeAll
  static void start() throws Exception {
    h =
        Harness.resolute(
            "model-suspending", Map.of("RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT", "0s"));
  }

  /** The mode is in force: five waits take seven executions (see {@link AlwaysSuspendingIT}). */
  @Test
  void everyWaitIsASuspension() throws Exception {
    String key = "wf-" + UUID.randomUUID();
    HttpResponse<String> r = h.call("/Replays/" + key + "/run", "\"ctr-" + key + "\"");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(h.marks("replays-" + key)).isEqualTo(7);
  }
}
