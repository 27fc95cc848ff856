package dev.resolute.sdktests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * One SDK's deployment against Resolute and against restate-server 1.7.12 side by side: the same
 * scenario script runs against each (a deployment process per server, so that the per-process
 * side-effect counters stay apart), and the two transcripts must be equal, step for step, status
 * and body. The core script is what every SDK's deployment serves under the same names (object
 * state, a journaled run, a sleep, a call and a delayed send, a run retried until it succeeds, an
 * awakeable resolved from ingress, a workflow's durable promise, idempotent delayed sends);
 * subclasses add their own steps.
 *
 * <p>Both servers run with a zero inactivity timeout: every wait suspends the invocation and every
 * later step is a replay, the harder path for an SDK. A crash test per server kills the server
 * ({@code kill -9}) while an invocation is suspended on a timer, after its journaled run: after the
 * restart it completes and the run has not run again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
abstract class SdkParity {
  private static final Pattern INVOCATION_ID =
      Pattern.compile("\"invocationId\":\"(inv_[0-9A-Za-z]+)\"");

  // both servers are driven at once (the common pool has one thread on a 2-core machine)
  private final ExecutorService both = Executors.newFixedThreadPool(2);
  private Server resolute;
  private Server restate;
  private SdkDeployment onResolute;
  private SdkDeployment onRestate;

  abstract SdkDeployment.Sdk sdk();

  /** The environment of both servers. */
  Map<String, String> serverEnv() throws Exception {
    return Server.ALWAYS_SUSPENDING;
  }

  /** What each deployment process gets in its environment beyond its SDK's own. */
  Map<String, String> deploymentEnv() {
    return Map.of();
  }

  /** Whether the servers reach the deployments over HTTP/1.1 request/response instead of h2c. */
  boolean http11() {
    return false;
  }

  /** Steps of this SDK beyond the core script. */
  void extraSteps(Server s, Transcript t) throws Exception {}

  /** Expected answers of the extra steps on restate-server (the reference). */
  void checkReference(Transcript t) {}

  @BeforeAll
  void start() throws Exception {
    Map<String, String> env = serverEnv();
    CompletableFuture<Server> a =
        CompletableFuture.supplyAsync(() -> Server.start(Server.Kind.RESOLUTE, env), both);
    CompletableFuture<Server> b =
        CompletableFuture.supplyAsync(() -> Server.start(Server.Kind.RESTATE, env), both);
    resolute = a.get(120, TimeUnit.SECONDS);
    restate = b.get(120, TimeUnit.SECONDS);
    onResolute = SdkDeployment.start(sdk(), resolute.dir, deploymentEnv());
    onRestate = SdkDeployment.start(sdk(), restate.dir, deploymentEnv());
    resolute.register(onResolute.uri(), "Signup", http11());
    restate.register(onRestate.uri(), "Signup", http11());
  }

  @AfterAll
  void stop() {
    both.shutdownNow();
    for (AutoCloseable c : new AutoCloseable[] {onResolute, onRestate, resolute, restate}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // closing the rest matters more
      }
    }
  }

  Server server(Server.Kind kind) {
    return kind == Server.Kind.RESOLUTE ? resolute : restate;
  }

  SdkDeployment deployment(Server.Kind kind) {
    return kind == Server.Kind.RESOLUTE ? onResolute : onRestate;
  }

  @Test
  void bothServersAnswerTheScriptAlike() throws Exception {
    CompletableFuture<Transcript> a = CompletableFuture.supplyAsync(() -> script(resolute), both);
    CompletableFuture<Transcript> b = CompletableFuture.supplyAsync(() -> script(restate), both);
    Transcript onResoluteT = a.get(150, TimeUnit.SECONDS);
    Transcript onRestateT = b.get(150, TimeUnit.SECONDS);
    // in the failsafe report: what the servers answered
    System.out.println(onRestateT);
    // the reference: what every SDK's core deployment answers on restate-server
    assertThat(onRestateT.get("counter.add5")).isEqualTo("200 5");
    assertThat(onRestateT.get("counter.get")).isEqualTo("200 7");
    assertThat(onRestateT.get("counter.getOther")).isEqualTo("200 0");
    assertThat(onRestateT.get("flow.steps")).isEqualTo("200 {\"ran\":\"ran-f1\",\"total\":10}");
    assertThat(onRestateT.get("flow.sideEffects")).isEqualTo("200 1");
    assertThat(onRestateT.get("flow.delayedSend")).isEqualTo("1");
    assertThat(onRestateT.get("flow.flaky")).isEqualTo("200 3");
    assertThat(onRestateT.get("flow.flakyAttempts")).isEqualTo("200 3");
    assertThat(onRestateT.get("awakeable.result")).isEqualTo("200 \"resolved:yes\"");
    assertThat(onRestateT.get("signup.attach")).isEqualTo("200 \"ann@example.com:ok\"");
    assertThat(onRestateT.get("send.idempotentAgain")).contains("PreviouslyAccepted");
    assertThat(onRestateT.get("send.applied")).isEqualTo("1");
    checkReference(onRestateT);
    assertThat(onResoluteT.steps)
        .as("Resolute's transcript against restate-server's:\n%s\n%s", onResoluteT, onRestateT)
        .isEqualTo(onRestateT.steps);
  }

  private Transcript script(Server s) {
    Transcript t = new Transcript(s.kind);
    try {
      core(s, t);
      extraSteps(s, t);
    } catch (Exception e) {
      throw new AssertionError(s.kind + " failed after " + t + "\n" + s.log(), e);
    }
    return t;
  }

  private static void core(Server s, Transcript t) throws Exception {
    t.record("counter.add5", s.call("/Counter/c1/add", "5"));
    t.record("counter.add2", s.call("/Counter/c1/add", "2"));
    t.record("counter.get", s.call("/Counter/c1/get", null));
    t.record("counter.getOther", s.call("/Counter/other/get", null));

    t.record("flow.steps", s.call("/Flow/steps", "\"f1\""));
    t.record("flow.sideEffects", s.call("/Flow/sideEffects", "\"f1\""));
    t.put("flow.delayedSend", awaitBody(s, "/Counter/f1-later/get", "1"));
    t.record("flow.flaky", s.call("/Flow/flaky", "\"r1\""));
    t.record("flow.flakyAttempts", s.call("/Flow/sideEffects", "\"r1\""));

    CompletableFuture<HttpResponse<String>> waiting = s.callAsync("/Waiter/waitFor", "\"a1\"");
    String id = awaitAwakeableId(s, "a1");
    t.record("awakeable.resolve", s.call("/restate/awakeables/" + id + "/resolve", "\"yes\""));
    t.record("awakeable.result", waiting.get(60, TimeUnit.SECONDS));

    t.record("signup.send", s.call("/Signup/w1/run/send", "\"ann@example.com\""));
    t.record("signup.approve", s.call("/Signup/w1/approve", "\"ok\""));
    t.record("signup.attach", s.ingressGet("/restate/workflow/Signup/w1/attach"));
    t.record("signup.approveAgain", s.call("/Signup/w1/approve", "\"late\""));

    Map<String, String> key = Map.of("idempotency-key", "k1");
    t.record("send.idempotent", s.ingress("POST", "/Counter/i1/add/send?delay=100ms", "1", key));
    t.record(
        "send.idempotentAgain", s.ingress("POST", "/Counter/i1/add/send?delay=100ms", "1", key));
    t.put("send.applied", awaitBody(s, "/Counter/i1/get", "1"));
  }

  /** Waits until {@code path} answers {@code expected} (a later step depends on it). */
  static String awaitBody(Server s, String path, String expected) {
    return awaitBody(s, path, null, expected);
  }

  /** Waits until a POST of {@code json} to {@code path} answers {@code expected}. */
  static String awaitBody(Server s, String path, String json, String expected) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> s.call(path, json).body(), expected::equals);
  }

  /** The awakeable id that Waiter/waitFor published to AwakeableHolder/{key}. */
  static String awaitAwakeableId(Server s, String key) {
    String quoted =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .ignoreExceptions()
            .until(
                () -> s.call("/AwakeableHolder/" + key + "/getId", null).body(),
                body -> body.startsWith("\"sign_"));
    return quoted.substring(1, quoted.length() - 1);
  }

  static String invocationId(HttpResponse<String> sent) {
    Matcher m = INVOCATION_ID.matcher(sent.body());
    assertThat(m.find()).as(sent.body()).isTrue();
    return m.group(1);
  }

  @Test
  void suspendedOnATimerSurvivesAKillOfResolute() throws Exception {
    crashWhileSleeping(Server.Kind.RESOLUTE);
  }

  @Test
  void suspendedOnATimerSurvivesAKillOfRestate() throws Exception {
    crashWhileSleeping(Server.Kind.RESTATE);
  }

  private void crashWhileSleeping(Server.Kind kind) throws Exception {
    Server s = server(kind);
    crashWhileSleeping(s, "crash-" + kind);
  }

  /**
   * Sends {@code Flow/crash}, waits until its run is journaled, kills and restarts the server while
   * the invocation waits on its 3 s timer, then checks that it completes and that the run did not
   * run again.
   */
  static void crashWhileSleeping(Server s, String key) throws Exception {
    HttpResponse<String> sent = s.call("/Flow/crash/send", "\"" + key + "\"");
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
    String id = invocationId(sent);
    awaitBody(s, "/Flow/sideEffects", "\"" + key + "\"", "1");
    s.restart();
    HttpResponse<String> out = s.ingressGet("/restate/invocation/" + id + "/attach");
    assertThat(out.statusCode()).as(out.body() + "\n" + s.log()).isEqualTo(200);
    assertThat(out.body()).isEqualTo("\"done-" + key + "\"");
    assertThat(s.call("/Flow/sideEffects", "\"" + key + "\"").body())
        .as("the journaled run ran again after the restart")
        .isEqualTo("1");
  }
}
