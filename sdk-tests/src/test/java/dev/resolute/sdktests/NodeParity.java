package dev.resolute.sdktests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The TypeScript SDK's deployment ({@code node/services.mjs}): the core script of {@link SdkParity}
 * plus state keys and clearing, the promise combinators, attach and cancel from a handler, terminal
 * errors with codes and metadata (in the ingress body, on attach/output, and as a calling or
 * awaiting handler receives them), an awakeable resolved from a handler, a run whose retries run
 * out, and {@code ctx.rand}/{@code ctx.date} against their journaled values after a replay.
 */
abstract class NodeParity extends SdkParity {
  @Override
  void extraSteps(Server s, Transcript t) throws Exception {
    t.record("state.putA", s.call("/Counter/s1/put", "{\"key\":\"a\",\"value\":1}"));
    t.record("state.putB", s.call("/Counter/s1/put", "{\"key\":\"b\",\"value\":2}"));
    t.record("state.keys", s.call("/Counter/s1/keys", null));
    t.record("state.clear", s.call("/Counter/s1/clear", "\"a\""));
    t.record("state.keysAfterClear", s.call("/Counter/s1/keys", null));
    t.record("state.clearAll", s.call("/Counter/s1/clearAll", null));
    t.record("state.keysAfterClearAll", s.call("/Counter/s1/keys", null));

    t.record("combinators.all", s.call("/Combinators/all", "\"k\""));
    t.record("combinators.race", s.call("/Combinators/race", null));
    t.record("combinators.any", s.call("/Combinators/any", null));
    t.record("combinators.allSettled", s.call("/Combinators/allSettled", null));
    t.record("combinators.timeout", s.call("/Combinators/timeout", null));
    t.record("combinators.attach", s.call("/Combinators/attach", "\"x\""));
    t.record("combinators.cancel", s.call("/Combinators/cancel", "\"cancelled-waiter\""));

    String fail = "{\"code\":418,\"message\":\"teapot\",\"metadata\":{\"z\":\"1\",\"a\":\"2\"}}";
    t.record("errors.metadata", s.call("/Errors/fail", fail));
    for (int code : new int[] {1001, 99, 0, 470, 409}) {
      t.record(
          "errors.code" + code,
          s.call("/Errors/fail", "{\"code\":" + code + ",\"message\":\"c" + code + "\"}"));
    }
    t.record("errors.toCaller", s.call("/Errors/callFail", fail));
    t.record("errors.rejectedAwakeable", s.call("/Errors/rejected", null));
    java.util.Map<String, String> key = java.util.Map.of("idempotency-key", "e1");
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
    assertThat(t.get("combinators.all")).isEqualTo("200 [\"a-k\",\"b\",\"c\"]");
    assertThat(t.get("combinators.race")).isEqualTo("200 \"timer\"");
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
    assertThat(t.get("awakeable.resultFromHandler")).isEqualTo("200 \"resolved:from-handler\"");
    assertThat(t.get("random.check"))
        .isEqualTo(
            "200 {\"clockMoves\":true,\"sameNow\":true,\"sameNumber\":true,\"sameUuid\":true}");
  }
}
