package dev.resolute.sdktests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.protocol.identity.RequestIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Python SDK's deployment ({@code python/services.py}): the core script of {@link SdkParity}
 * plus state keys and clearing, {@code restate.gather}/{@code select}/{@code wait_completed},
 * attach and cancel from a handler, calls with an idempotency key, terminal errors with codes and
 * metadata (in the ingress body, on attach/output, and as a calling handler receives them),
 * awakeables resolved from a handler and rejected from a handler and from the ingress, a run whose
 * retries run out, and {@code ctx.random()}/{@code ctx.uuid()}/{@code ctx.time()} against their
 * journaled values after a replay.
 *
 * <p>Both servers sign every request with the same Ed25519 request-identity key ({@code
 * [worker.invoker] request-identity-private-key-pem-file}) and the app is built with {@code
 * identity_keys=[its key id]}: every step of the script passes the SDK's verification, and an
 * unsigned request is refused.
 */
abstract class PythonParity extends SdkParity {
  private String keyId;

  @Override
  SdkDeployment.Sdk sdk() {
    return SdkDeployment.Sdk.PYTHON;
  }

  @Override
  Map<String, String> serverEnv() throws Exception {
    KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    keyId = RequestIdentity.keyId(key.getPublic());
    Path dir = Files.createDirectories(Path.of("target", "identity")).toAbsolutePath();
    Path pem = Files.createTempFile(dir, getClass().getSimpleName(), ".pem");
    Files.writeString(
        pem,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(key.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    Map<String, String> env = new HashMap<>(Server.ALWAYS_SUSPENDING);
    env.put("RESTATE_WORKER__INVOKER__REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE", pem.toString());
    return env;
  }

  @Override
  Map<String, String> deploymentEnv() {
    return Map.of("IDENTITY_KEYS", keyId);
  }

  @Override
  void extraSteps(Server s, Transcript t) throws Exception {
    t.record("state.putA", s.call("/Counter/s1/put", "{\"key\":\"a\",\"value\":1}"));
    t.record("state.putB", s.call("/Counter/s1/put", "{\"key\":\"b\",\"value\":2}"));
    t.record("state.keys", s.call("/Counter/s1/keys", null));
    t.record("state.clear", s.call("/Counter/s1/clear", "\"a\""));
    t.record("state.keysAfterClear", s.call("/Counter/s1/keys", null));
    t.record("state.clearAll", s.call("/Counter/s1/clearAll", null));
    t.record("state.keysAfterClearAll", s.call("/Counter/s1/keys", null));

    t.record("calls.idempotent", s.call("/Flow/idempotentCalls", "\"ic\""));
    t.record("calls.idempotentApplied", s.call("/Counter/ic/get", null));

    t.record("combinators.gather", s.call("/Combinators/all", "\"k\""));
    t.record("combinators.select", s.call("/Combinators/race", null));
    t.record("combinators.waitCompleted", s.call("/Combinators/any", null));
    t.record("combinators.gatherSettled", s.call("/Combinators/allSettled", null));
    t.record("combinators.attach", s.call("/Combinators/attach", "\"x\""));
    t.record("combinators.cancel", s.call("/Combinators/cancel", "\"cancelled-waiter\""));

    String fail = "{\"code\":418,\"message\":\"teapot\",\"metadata\":{\"z\":\"1\",\"a\":\"2\"}}";
    t.record("errors.metadata", s.call("/Errors/fail", fail));
    for (int code : new int[] {1001, 99, 470, 409}) {
      t.record(
          "errors.code" + code,
          s.call("/Errors/fail", "{\"code\":" + code + ",\"message\":\"c" + code + "\"}"));
    }
    t.record("errors.toCaller", s.call("/Errors/callFail", fail));
    t.record("errors.rejectedAwakeable", s.call("/Errors/rejected", null));
    Map<String, String> key = Map.of("idempotency-key", "e1");
    t.record("errors.send", s.ingress("POST", "/Errors/fail/send", fail, key));
    t.record("errors.attach", s.ingressGet("/restate/invocation/Errors/fail/e1/attach"));
    t.record("errors.output", s.ingressGet("/restate/invocation/Errors/fail/e1/output"));
    t.record("errors.retriesRunOut", s.call("/Flow/exhausted", "\"x1\""));
    t.record("errors.retriesRunOutAttempts", s.call("/Flow/sideEffects", "\"x1\""));

    CompletableFuture<HttpResponse<String>> waiting = s.callAsync("/Waiter/waitFor", "\"a2\"");
    String id = awaitAwakeableId(s, "a2");
    t.record(
        "awakeable.resolveFromHandler",
        s.call("/Waiter/resolve", "{\"id\":\"" + id + "\",\"value\":\"from-handler\"}"));
    t.record("awakeable.resultFromHandler", waiting.get(60, TimeUnit.SECONDS));

    CompletableFuture<HttpResponse<String>> rejected = s.callAsync("/Waiter/waitFor", "\"a3\"");
    String id3 = awaitAwakeableId(s, "a3");
    t.record(
        "awakeable.rejectFromIngress", s.call("/restate/awakeables/" + id3 + "/reject", "go away"));
    t.record("awakeable.resultRejected", rejected.get(60, TimeUnit.SECONDS));

    t.record("signup.peekBefore", s.call("/Signup/w2/peek", null));
    t.record("signup.send2", s.call("/Signup/w2/run/send", "\"bo@example.com\""));
    t.record("signup.approve2", s.call("/Signup/w2/approve", "\"fine\""));
    t.record("signup.peekAfter", s.call("/Signup/w2/peek", null));
    t.record("signup.output2", s.ingressGet("/restate/workflow/Signup/w2/attach"));

    t.record("random.check", s.call("/Random/check", null));
  }

  @Override
  void checkReference(Transcript t) {
    assertThat(t.get("state.keys")).isEqualTo("200 [\"a\",\"b\"]");
    assertThat(t.get("state.keysAfterClear")).isEqualTo("200 [\"b\"]");
    assertThat(t.get("state.keysAfterClearAll")).isEqualTo("200 []");
    assertThat(t.get("calls.idempotent")).isEqualTo("200 [1,1]");
    assertThat(t.get("calls.idempotentApplied")).isEqualTo("200 1");
    assertThat(t.get("combinators.gather")).isEqualTo("200 [\"a-k\",\"b\",\"c\"]");
    assertThat(t.get("combinators.select")).isEqualTo("200 \"timer\"");
    assertThat(t.get("combinators.gatherSettled")).isEqualTo("200 [\"fine\",\"bad:409\"]");
    assertThat(t.get("combinators.attach")).isEqualTo("200 \"attached:x\"");
    assertThat(t.get("errors.metadata"))
        .isEqualTo(
            "418 {\"code\":418,\"message\":\"teapot\",\"metadata\":{\"a\":\"2\",\"z\":\"1\"},"
                + "\"source\":\"invocation\"}");
    assertThat(t.get("errors.code1001"))
        .isEqualTo("500 {\"code\":1001,\"message\":\"c1001\",\"source\":\"invocation\"}");
    assertThat(t.get("errors.toCaller"))
        .isEqualTo(
            "200 {\"code\":418,\"message\":\"teapot\",\"metadata\":{\"a\":\"2\",\"z\":\"1\"}}");
    assertThat(t.get("errors.attach")).isEqualTo(t.get("errors.metadata"));
    assertThat(t.get("errors.output")).isEqualTo(t.get("errors.metadata"));
    assertThat(t.get("errors.retriesRunOutAttempts")).isEqualTo("200 2");
    assertThat(t.get("awakeable.resultFromHandler")).isEqualTo("200 \"resolved:from-handler\"");
    assertThat(t.get("signup.output2")).isEqualTo("200 \"bo@example.com:fine\"");
    assertThat(t.get("random.check"))
        .isEqualTo(
            "200 {\"clockMoves\":true,\"sameNow\":true,\"sameNumber\":true,\"sameUuid\":true}");
  }

  @Test
  void theDeploymentRefusesUnsignedRequests() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI invoke = URI.create(deployment(Server.Kind.RESOLUTE).uri() + "/invoke/Counter/add");
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(invoke)
                .timeout(Duration.ofSeconds(10))
                .header("content-type", "application/vnd.restate.invocation.v6")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
  }
}
