package dev.resolute.sdktests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The Python SDK's core scenarios against one server configuration: object state, a journaled
 * {@code ctx.run} with a sleep and a call, an awakeable resolved from ingress, a workflow's durable
 * promise, a kill -9 of the server while an invocation sleeps after its journaled run. Subclasses
 * choose the server and its environment; every expected answer is what restate-server 1.7.12 gives,
 * and a subclass per server proves both give it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class PythonScenarios {
  private PythonDeployment python;
  private Server server;

  abstract Server.Kind kind();

  abstract Map<String, String> serverEnv();

  @BeforeAll
  void start() throws Exception {
    server = Server.start(kind(), serverEnv());
    python = PythonDeployment.start(server.dir);
    server.register(python.uri(), "NonDeterministic");
  }

  @AfterAll
  void stop() throws Exception {
    if (python != null) {
      python.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void objectStateAddsUp() throws Exception {
    assertThat(server.call("/Counter/c1/add", "5").body()).isEqualTo("5");
    assertThat(server.call("/Counter/c1/add", "2").body()).isEqualTo("7");
    assertThat(server.call("/Counter/c1/get", null).body()).isEqualTo("7");
    assertThat(server.call("/Counter/other/get", null).body()).isEqualTo("0");
  }

  @Test
  void runSleepAndCallAreJournaledAndRunOnce() throws Exception {
    HttpResponse<String> r = server.call("/Flow/steps", "\"f1\"");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"ran\": \"ran-f1\", \"total\": 10}");
    // a replay after a suspension re-reads the run's result from the journal instead of running it
    assertThat(server.call("/Flow/sideEffects", "\"f1\"").body()).isEqualTo("1");
    assertThat(server.call("/Counter/f1/get", null).body()).isEqualTo("10");
  }

  @Test
  void awakeableResolvedFromIngressCompletesTheHandler() throws Exception {
    CompletableFuture<HttpResponse<String>> waiting = server.callAsync("/Waiter/waitFor", "\"a1\"");
    String id =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> server.call("/AwakeableHolder/a1/getId", null).body(),
                body -> body.startsWith("\"sign_"));
    String awakeable = id.substring(1, id.length() - 1);
    HttpResponse<String> resolved =
        server.call("/restate/awakeables/" + awakeable + "/resolve", "\"yes\"");
    assertThat(resolved.statusCode()).as(resolved.body()).isIn(200, 202);
    HttpResponse<String> r = waiting.get(60, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"resolved:yes\"");
  }

  @Test
  void workflowWaitsForItsPromise() throws Exception {
    HttpResponse<String> sent = server.call("/Signup/w1/run/send", "\"ann@example.com\"");
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
    assertThat(server.call("/Signup/w1/approve", "\"ok\"").statusCode()).isEqualTo(200);
    HttpResponse<String> out = server.ingressGet("/restate/workflow/Signup/w1/attach");
    assertThat(out.statusCode()).as(out.body()).isEqualTo(200);
    assertThat(out.body()).isEqualTo("\"ann@example.com:ok\"");
  }

  @Test
  void suspendedOnATimerSurvivesAKillOfTheServer() throws Exception {
    SdkParity.crashWhileSleeping(server, "crash-py");
  }
}
