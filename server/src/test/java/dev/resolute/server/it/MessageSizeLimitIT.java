package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A message from a deployment over {@code worker.invoker.message-size-limit} fails that attempt
 * with RT0003; under a one-attempt retry policy the invocation is killed and the caller gets the
 * failure, while calls with small messages go on. The same calls run on Resolute and on
 * restate-server 1.7.12 with a 2 MiB limit: {@code Greeter/greet} answers with its input, so a 3
 * MiB name makes a 3 MiB Output message.
 */
@Timeout(300)
class MessageSizeLimitIT {
  static final Map<String, String> ENV =
      Map.of(
          "RESTATE_WORKER__INVOKER__MESSAGE_SIZE_LIMIT", "2 MiB",
          "RESTATE_DEFAULT_RETRY_POLICY__MAX_ATTEMPTS", "1",
          "RESTATE_DEFAULT_RETRY_POLICY__ON_MAX_ATTEMPTS", "kill",
          "RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL", "1ms");
  static Harness resolute;
  static Harness restate;

  @BeforeAll
  static void start() throws Exception {
    resolute = Harness.resolute("message-size", ENV);
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
  void aMessageOverTheLimitFailsItsInvocationOnly() throws Exception {
    String big = "\"" + "x".repeat(3 * 1024 * 1024) + "\"";
    String[] bodies = new String[2];
    int[] statuses = new int[2];
    int i = 0;
    for (Harness h : new Harness[] {resolute, restate}) {
      String who = h.reference ? "restate-server" : "Resolute";
      HttpResponse<String> r = h.call("/Greeter/greet", big);
      statuses[i] = r.statusCode();
      bodies[i++] = r.body();
      HttpResponse<String> small = h.call("/Greeter/greet", "\"small\"");
      assertThat(small.statusCode()).as(who).isEqualTo(200);
    }
    assertThat(statuses[0]).as("Resolute: " + bodies[0]).isEqualTo(500);
    assertThat(statuses[1]).as("restate-server: " + bodies[1]).isEqualTo(500);
    // restate-server allows 256 KiB over the configured limit, and so does Resolute
    assertThat(bodies[0])
        .isEqualTo(bodies[1])
        .isEqualTo(
            "{\"code\":500,\"message\":\"message encoding error: hit message size limit: 3145746"
                + " >= 2359296\",\"source\":\"invocation\"}");
  }
}
