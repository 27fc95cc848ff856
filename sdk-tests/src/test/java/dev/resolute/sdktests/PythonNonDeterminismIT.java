package dev.resolute.sdktests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Python handler whose replay diverges from its journal (it writes a different state key on every
 * other start) under always-suspending mode and a default retry policy of one attempt then kill:
 * the journal mismatch counts as the failed attempt, the invocation is killed, the ingress call
 * fails, and the call the handler would have sent last never happens.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PythonNonDeterminismIT {
  static final Map<String, String> ENV = new HashMap<>(Server.ALWAYS_SUSPENDING);

  static {
    ENV.put("RESTATE_DEFAULT_RETRY_POLICY__MAX_ATTEMPTS", "1");
    ENV.put("RESTATE_DEFAULT_RETRY_POLICY__ON_MAX_ATTEMPTS", "kill");
    ENV.put("RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL", "1ms");
  }

  @ParameterizedTest
  @EnumSource(Server.Kind.class)
  void journalMismatchKillsTheInvocation(Server.Kind kind) throws Exception {
    try (Server server = Server.start(kind, ENV);
        PythonDeployment python = PythonDeployment.start(server.dir)) {
      server.register(python.uri(), "NonDeterministic");
      assertThat(server.call("/Counter/nd/add", "1").body()).isEqualTo("1");

      HttpResponse<String> r = server.call("/NonDeterministic/nd/setDifferentKey", null);
      assertThat(r.statusCode())
          .as("%s\n%s\n--- python ---\n%s", r.body(), server.log(), Files.readString(python.log))
          .isGreaterThanOrEqualTo(400);

      // the handler's last step (a send to Counter/nd) must never have been journaled
      Thread.sleep(300);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(server.call("/Counter/nd/get", null).body()).isEqualTo("1"));
    }
  }
}
