package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resolute.protocol.id.DeterministicIds;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The invocation model end to end (tracker issue 5): virtual objects, workflows, awakeables,
 * idempotency, cancel/kill, call timeouts, random seeds and retry policies, with a deployment
 * written with the official Restate Java SDK 2.4.0. Expected statuses and bodies were recorded
 * against restate-server 1.7.12 ({@link ReferenceComparisonIT} re-checks them side by side).
 */
@Timeout(300)
class InvocationModelIT {
  static Harness h;

  @BeforeAll
  static void start() throws Exception {
    h = Harness.resolute("model");
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  // ------------------------------------------------------------------ 1. virtual objects

  @Test
  void exclusiveCounterUnder64ConcurrentAddsEndsAtTheNumberOfAcknowledgedAdds() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> fs = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      fs.add(h.callAsync("/Counter/c64/add", "1"));
    }
    List<Long> seen = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : fs) {
      HttpResponse<String> r = f.get();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      seen.add(Long.parseLong(r.body()));
    }
    // one at a time: every add saw the previous one, so the answers are exactly 1..64
    assertThat(seen)
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 64).boxed().toList());
    assertThat(h.call("/Counter/c64/get", null).body()).isEqualTo("64");
  }

  @Test
  void callsToOneKeyKeepTheirOrderPerSender() throws Exception {
    int senders = 4;
    int perSender = 12;
    String[] keys = {"ord-a", "ord-b", "ord-c"};
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        int sender = s;
        fs.add(
            pool.submit(
                () -> {
                  for (int n = 0; n < perSender; n++) {
                    String path =
                        "/Counter/"
                            + keys[n % keys.length]
                            + "/append"
                            + (n % 2 == 0 ? "/send" : "");
                    HttpResponse<String> r = h.call(path, "\"s" + sender + "-" + n + "\"");
                    assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
                  }
                  return null;
                }));
      }
      // and one sender that is a handler: its sends keep their order too
      assertThat(h.call("/Tree/sendAppends", "\"ord-a/10\"").body()).isEqualTo("\"sent 10\"");
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    int expectedA = senders * perSender / keys.length + 10;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                log("ord-a").size() == expectedA
                    && log("ord-b").size() == senders * perSender / keys.length
                    && log("ord-c").size() == senders * perSender / keys.length);
    for (String key : keys) {
      List<String> items = log(key);
      for (int s = 0; s < senders; s++) {
        String prefix = "s" + s + "-";
        List<Integer> ns =
            items.stream()
                .filter(i -> i.startsWith(prefix))
                .map(i -> Integer.parseInt(i.substring(prefix.length())))
                .toList();
        assertThat(ns).as(key + " " + items).isSorted().doesNotHaveDuplicates();
      }
    }
    List<String> fromHandler = log("ord-a").stream().filter(i -> i.startsWith("h-")).toList();
    assertThat(fromHandler)
        .containsExactly(LongStream.range(0, 10).mapToObj(i -> "h-" + i).toArray(String[]::new));
  }

  private static List<String> log(String key) throws Exception {
    String body = h.call("/Counter/" + key + "/log", null).body();
    String s = body.substring(1, body.length() - 1);
    return s.isEmpty() ? List.of() : List.of(s.split(","));
  }

  @Test
  void theLockIsPerKeyAndSharedHandlersNeverTakeIt() throws Exception {
    h.call("/Counter/lk1/add", "5");
    CompletableFuture<HttpResponse<String>> holder = h.callAsync("/Counter/lk1/hold", "\"lk1\"");
    String awk = h.published("awk-lk1");
    CompletableFuture<HttpResponse<String>> queued = h.callAsync("/Counter/lk1/add", "1");
    // another key runs while lk1 is held; a shared handler of lk1 too
    assertThat(h.call("/Counter/lk2/add", "7").body()).isEqualTo("7");
    assertThat(h.call("/Counter/lk1/get", null).body()).isEqualTo("5");
    Thread.sleep(300); // a window in which the queued call must not run
    assertThat(queued).isNotDone();
    assertThat(h.call("/restate/awakeables/" + awk + "/resolve", "\"go\"").statusCode())
        .isEqualTo(202);
    assertThat(holder.get().body()).isEqualTo("\"held go\"");
    assertThat(queued.get().body()).isEqualTo("6");
  }

  @Test
  void stateGetSetClearClearAllKeysAndStateKeptAfterTerminalFailure() throws Exception {
    h.call("/Counter/st1/put", "\"a=1\"");
    h.call("/Counter/st1/put", "\"b=2\"");
    assertThat(h.call("/Counter/st1/keys", null).body()).isEqualTo("[\"a\",\"b\"]");
    assertThat(h.call("/Counter/st1/read", "\"b\"").body()).isEqualTo("\"2\"");
    h.call("/Counter/st1/clear", "\"a\"");
    assertThat(h.call("/Counter/st1/keys", null).body()).isEqualTo("[\"b\"]");
    assertThat(h.call("/Counter/st1/read", "\"a\"").body()).isEqualTo("\"<none>\"");
    h.call("/Counter/st1/clearAll", null);
    assertThat(h.call("/Counter/st1/keys", null).body()).isEqualTo("[]");

    HttpResponse<String> f = h.call("/Counter/st1/setThenFail", "\"kept\"");
    assertThat(f.statusCode()).isEqualTo(400);
    assertThat(f.body())
        .isEqualTo(
            "{\"code\":400,\"message\":\"failed after set kept\",\"source\":\"invocation\"}");
    assertThat(h.call("/Counter/st1/read", "\"last\"").body()).isEqualTo("\"kept\"");

    // lazy state (enableLazyState): reads and keys go through GetLazyState round trips
    assertThat(h.call("/LazyBox/lb1/swap", "\"x\"").body()).isEqualTo("\"<none>|v\"");
    assertThat(h.call("/LazyBox/lb1/swap", "\"y\"").body()).isEqualTo("\"x|v\"");
  }

  // ------------------------------------------------------------------ 2. workflows

  @Test
  void workflowRunsOncePerIdWithPromisesAndSharedHandlers() throws Exception {
    HttpResponse<String> s = h.call("/Signup/wf1/run/send", "\"alice\"");
    assertThat(s.statusCode()).isEqualTo(202);
    String id = s.headers().firstValue("x-restate-id").orElseThrow();
    assertThat(id).isEqualTo(DeterministicIds.workflowRun("Signup", "wf1").toString());
    assertThat(s.body()).isEqualTo("{\"invocationId\":\"" + id + "\",\"status\":\"Accepted\"}");
    assertThat(h.call("/Signup/wf1/run/send", "\"alice\"").body())
        .isEqualTo("{\"invocationId\":\"" + id + "\",\"status\":\"PreviouslyAccepted\"}");
    HttpResponse<String> again = h.call("/Signup/wf1/run", "\"alice\"");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body())
        .isEqualTo(
            "{\"code\":409,\"message\":\"the workflow method was already invoked\",\"source\":\"invocation\"}");
    assertThat(again.headers().firstValue("x-restate-id")).hasValue(id);

    HttpResponse<String> notReady = h.ingressGet("/restate/workflow/Signup/wf1/output");
    assertThat(notReady.statusCode()).isEqualTo(470);
    assertThat(notReady.body())
        .isEqualTo(
            "{\"code\":470,\"message\":\"the invocation exists but has not completed yet\",\"source\":\"ingress\"}");
    h.published("wf-started-wf1");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> h.call("/Signup/wf1/status", null).body().equals("\"waiting\""));
    assertThat(h.call("/Signup/wf1/peek", null).body()).isEqualTo("\"not ready\"");
    CompletableFuture<HttpResponse<String>> attached =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return h.ingressGet("/restate/workflow/Signup/wf1/attach");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(h.call("/Signup/wf1/approve", "\"bob\"").body()).isEqualTo("\"ok\"");
    HttpResponse<String> twice = h.call("/Signup/wf1/approve", "\"carol\"");
    assertThat(twice.statusCode()).isEqualTo(409);
    assertThat(twice.body())
        .isEqualTo(
            "{\"code\":409,\"message\":\"promise was already completed\",\"source\":\"invocation\"}");
    assertThat(attached.get().body()).isEqualTo("\"alice approved by bob\"");
    HttpResponse<String> out = h.ingressGet("/restate/workflow/Signup/wf1/output");
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.body()).isEqualTo("\"alice approved by bob\"");
    assertThat(out.headers().firstValue("idempotency-expires")).isPresent();
    assertThat(h.call("/Signup/wf1/run", "\"alice\"").statusCode()).isEqualTo(409);
    assertThat(h.call("/Signup/wf1/peek", null).body()).isEqualTo("\"ready:bob\"");
    assertThat(h.call("/Signup/wf1/status", null).body()).isEqualTo("\"approved\"");

    HttpResponse<String> unknown = h.ingressGet("/restate/workflow/Signup/nope/output");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body())
        .isEqualTo("{\"code\":404,\"message\":\"invocation not found\",\"source\":\"ingress\"}");
    HttpResponse<String> unknownAttach = h.ingressGet("/restate/workflow/Signup/nope/attach");
    assertThat(unknownAttach.statusCode()).isEqualTo(404);
    assertThat(unknownAttach.body())
        .isEqualTo("{\"code\":404,\"message\":\"not found\",\"source\":\"invocation\"}");
  }

  @Test
  void promiseCompletedBeforeRunAndAwaitedBySharedHandlers() throws Exception {
    CompletableFuture<HttpResponse<String>> waiter = h.callAsync("/Signup/wf2/await", null);
    h.published("awaiting-wf2");
    assertThat(h.call("/Signup/wf2/approve", "\"early\"").body()).isEqualTo("\"ok\"");
    assertThat(waiter.get().body()).isEqualTo("\"awaited:early\"");
    assertThat(h.call("/Signup/wf2/run", "\"dave\"").body())
        .isEqualTo("\"dave approved by early\"");

    h.sendId("/Signup/wf3/run/send", "\"erin\"");
    h.published("wf-started-wf3");
    assertThat(h.call("/Signup/wf3/reject", "\"no way\"").body()).isEqualTo("\"rejected\"");
    HttpResponse<String> r = h.ingressGet("/restate/workflow/Signup/wf3/attach");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).contains("no way");
  }

  @Test
  void workflowRetentionFromTheManifestClearsTheRunItsStateAndPromises() throws Exception {
    assertThat(h.call("/ShortFlow/sf1/run", "\"ann\"").body()).isEqualTo("\"done ann\"");
    assertThat(h.call("/ShortFlow/sf1/inspect", null).body()).isEqualTo("\"ann|ran\"");
    assertThat(h.ingressGet("/restate/workflow/ShortFlow/sf1/output").statusCode()).isEqualTo(200);
    // workflowRetention = 2s: then the run, its state and its promises are gone
    await()
        .atMost(Duration.ofSeconds(15))
        .pollDelay(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> h.ingressGet("/restate/workflow/ShortFlow/sf1/output").statusCode() == 404);
    assertThat(h.call("/ShortFlow/sf1/inspect", null).body()).isEqualTo("\"not ready|none\"");
    assertThat(h.call("/ShortFlow/sf1/run", "\"bob\"").body()).isEqualTo("\"done bob\"");
    assertThat(h.marks("shortflow-sf1")).isEqualTo(2);
  }

  // ------------------------------------------------------------------ 3. awakeables

  @Test
  void awakeablesResolvedAndRejectedFromIngressAndFromHandlers() throws Exception {
    String id = h.sendId("/Tree/awaitAwakeable/send", "\"aw1\"");
    HttpResponse<String> ok =
        h.call("/restate/awakeables/" + h.published("awk-aw1") + "/resolve", "\"yes\"");
    assertThat(ok.statusCode()).isEqualTo(202);
    assertThat(ok.body()).isEmpty();
    assertThat(h.ingressGet("/restate/invocation/" + id + "/attach").body())
        .isEqualTo("\"got yes\"");

    String id2 = h.sendId("/Tree/awaitAwakeable/send", "\"aw2\"");
    HttpResponse<String> rej =
        Harness.send(h.ingress, "POST", "/restate/a/" + h.published("awk-aw2") + "/reject", null);
    assertThat(rej.statusCode()).isEqualTo(202);
    HttpResponse<String> failed = h.ingressGet("/restate/invocation/" + id2 + "/attach");
    assertThat(failed.statusCode()).isEqualTo(500);

    String id3 = h.sendId("/Tree/awaitAwakeable/send", "\"aw3\"");
    assertThat(h.call("/Tree/completeAwakeable", "\"" + h.published("awk-aw3") + "|hi\"").body())
        .isEqualTo("\"done\"");
    assertThat(h.ingressGet("/restate/invocation/" + id3 + "/attach").body())
        .isEqualTo("\"got hi\"");

    HttpResponse<String> bad = h.call("/restate/awakeables/sign_1garbage/resolve", "\"x\"");
    assertThat(bad.statusCode()).isEqualTo(400);
    // well-formed but unknown: restate-server accepts it (202), so do we
    assertThat(
            h.call(
                    "/restate/awakeables/sign_1AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYAAAAEQ/resolve",
                    "\"x\"")
                .statusCode())
        .isEqualTo(202);
  }

  // ------------------------------------------------------------------ 4. idempotency

  @Test
  void idempotencyKeysDeduplicateAndAttachByKey() throws Exception {
    HttpResponse<String> first = h.call("/Greeter/count", "\"ik1\"", "idempotency-key", "k-ik1");
    assertThat(first.body()).isEqualTo("\"counted ik1\"");
    String id = first.headers().firstValue("x-restate-id").orElseThrow();
    assertThat(id)
        .isEqualTo(DeterministicIds.idempotent("Greeter", null, "count", "k-ik1").toString());
    HttpResponse<String> second = h.call("/Greeter/count", "\"ik1\"", "idempotency-key", "k-ik1");
    assertThat(second.body()).isEqualTo("\"counted ik1\"");
    assertThat(second.headers().firstValue("x-restate-id")).hasValue(id);
    assertThat(second.headers().firstValue("idempotency-expires")).isPresent();
    assertThat(h.call("/Greeter/count/send", "\"ik1\"", "idempotency-key", "k-ik1").body())
        .isEqualTo("{\"invocationId\":\"" + id + "\",\"status\":\"PreviouslyAccepted\"}");
    assertThat(h.ingressGet("/restate/invocation/Greeter/count/k-ik1/output").body())
        .isEqualTo("\"counted ik1\"");
    assertThat(h.ingressGet("/restate/invocation/Greeter/count/k-ik1/attach").body())
        .isEqualTo("\"counted ik1\"");
    assertThat(h.ingressGet("/restate/invocation/" + id + "/output").body())
        .isEqualTo("\"counted ik1\"");
    assertThat(h.marks("count-ik1")).isEqualTo(1);

    // object + idempotency key
    assertThat(h.call("/Counter/ikc/add", "5", "idempotency-key", "o1").body()).isEqualTo("5");
    assertThat(h.call("/Counter/ikc/add", "5", "idempotency-key", "o1").body()).isEqualTo("5");
    assertThat(h.ingressGet("/restate/invocation/Counter/ikc/add/o1/output").body()).isEqualTo("5");
    HttpResponse<String> unknown = h.ingressGet("/restate/invocation/Greeter/count/nope/output");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body())
        .isEqualTo("{\"code\":404,\"message\":\"invocation not found\",\"source\":\"ingress\"}");

    // Greeter/count has idempotencyRetention = 3s in its manifest: after that the key is free again
    await()
        .atMost(Duration.ofSeconds(15))
        .pollDelay(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                h.ingressGet("/restate/invocation/Greeter/count/k-ik1/output").statusCode() == 404);
    assertThat(h.call("/Greeter/count", "\"ik1\"", "idempotency-key", "k-ik1").body())
        .isEqualTo("\"counted ik1\"");
    assertThat(h.marks("count-ik1")).isEqualTo(2);
  }

  @Test
  void journalRetentionFromTheManifestKeepsACompletedInvocationThatLong() throws Exception {
    // Greeter/terminal has journalRetention = 2s: its result can be read by id, then it is gone
    HttpResponse<String> r = h.call("/Greeter/terminal", "\"jr\"");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(418);
    String id = r.headers().firstValue("x-restate-id").orElseThrow();
    HttpResponse<String> kept = h.ingressGet("/restate/invocation/" + id + "/output");
    assertThat(kept.statusCode()).as(kept.body()).isEqualTo(418);
    await()
        .atMost(Duration.ofSeconds(15))
        .pollDelay(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> h.ingressGet("/restate/invocation/" + id + "/output").statusCode() == 404);
  }

  @Test
  void idempotentCallsAndAttachFromHandlers() throws Exception {
    String r = h.call("/Tree/idempotentCalls", "\"hc1\"").body();
    String id = DeterministicIds.idempotent("Greeter", null, "count", "ik-hc1").toString();
    assertThat(r).isEqualTo("\"counted hc1|counted hc1|counted hc1|" + id + "\"");
    assertThat(h.marks("count-hc1")).isEqualTo(1);

    String running = h.sendId("/Tree/awaitAwakeable/send", "\"at1\"");
    String awk = h.published("awk-at1");
    assertThat(h.call("/Tree/outputOf", "\"" + running + "\"").body()).isEqualTo("\"not ready\"");
    CompletableFuture<HttpResponse<String>> attach =
        h.callAsync("/Tree/attachTo", "\"" + running + "\"");
    Thread.sleep(300); // a window in which the attach must not return
    assertThat(attach).isNotDone();
    h.call("/restate/awakeables/" + awk + "/resolve", "\"late\"");
    assertThat(attach.get().body()).isEqualTo("\"attached:got late\"");
    assertThat(h.call("/Tree/outputOf", "\"" + running + "\"").body())
        .isEqualTo("\"ready:got late\"");
  }

  // ------------------------------------------------------------------ 5. cancel and kill

  @Test
  void cancelPropagatesToAwaitedCalleesButNotToOneWayChildren() throws Exception {
    String parent = h.sendId("/Tree/parent/send", "\"cx1\"");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                h.marks("child-started-cx1-called") == 1
                    && h.marks("child-started-cx1-detached") == 1);
    HttpResponse<String> c = h.adminPatch("/invocations/" + parent + "/cancel");
    assertThat(c.statusCode()).as(c.body()).isEqualTo(202);
    HttpResponse<String> out = h.ingressGet("/restate/invocation/" + parent + "/attach");
    assertThat(out.statusCode()).isEqualTo(409);
    assertThat(h.marks("compensated-cx1")).isEqualTo(1);
    // the parent's SDK forwards the cancel to the callee it awaits (SendSignal idx 1)
    await().atMost(Duration.ofSeconds(20)).until(() -> h.marks("child-cancelled-cx1-called") == 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> h.marks("child-done-cx1-detached") == 1);
    assertThat(h.marks("child-done-cx1-called")).isZero();
    assertThat(h.marks("child-cancelled-cx1-detached")).isZero();

    HttpResponse<String> again = h.adminPatch("/invocations/" + parent + "/cancel");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body())
        .isEqualTo(
            "{\"message\":\"The invocation '"
                + parent
                + "' was already completed.\",\"restate_code\":null}");
  }

  @Test
  void cancelOfAnInboxedCallAndKillReleasingTheLock() throws Exception {
    CompletableFuture<HttpResponse<String>> holder = h.callAsync("/Counter/kl1/hold", "\"kl1\"");
    h.published("awk-kl1");
    String inboxed = h.sendId("/Counter/kl1/append/send", "\"cancelled\"");
    CompletableFuture<HttpResponse<String>> queued =
        h.callAsync("/Counter/kl1/append", "\"after\"");
    assertThat(h.ingressGet("/restate/invocation/" + inboxed + "/output").statusCode())
        .isEqualTo(470);
    assertThat(h.adminPatch("/invocations/" + inboxed + "/cancel").statusCode()).isEqualTo(200);
    assertThat(h.ingressGet("/restate/invocation/" + inboxed + "/output").statusCode())
        .isEqualTo(404);

    assertThat(h.call("/Counter/kl1/log", null).body()).isEqualTo("\"\"");
    String holderId = findHolder();
    HttpResponse<String> k = h.adminPatch("/invocations/" + holderId + "/kill");
    assertThat(k.statusCode()).isEqualTo(200);
    HttpResponse<String> killed = holder.get();
    assertThat(killed.statusCode()).isEqualTo(409);
    assertThat(killed.body())
        .isEqualTo("{\"code\":409,\"message\":\"killed\",\"source\":\"invocation\"}");
    assertThat(queued.get().body()).isEqualTo("\"after\"");
    assertThat(h.adminPatch("/invocations/" + holderId + "/kill").statusCode()).isEqualTo(409);
  }

  /** The id of the kl1 hold invocation: its awakeable id embeds it. */
  private static String findHolder() {
    String awk = h.published("awk-kl1");
    return dev.resolute.protocol.id.AwakeableId.parse(awk).invocationId().toString();
  }

  // ------------------------------------------------------------------ 6. timeouts, random seed,
  // retries

  @Test
  void callTimeoutRandomSeedAndRetryPolicies() throws Exception {
    assertThat(h.call("/Tree/callWithTimeout", "\"to1\"").body()).isEqualTo("\"timeout 409\"");

    String r = h.call("/Tree/random", "\"rs1\"").body();
    assertThat(h.lines("random-rs1")).hasSize(2).allMatch(v -> r.equals("\"" + v + "\""));

    HttpResponse<String> k = h.call("/Tree/killed", "\"rk1\"");
    assertThat(k.statusCode()).isEqualTo(500);
    assertThat(k.body())
        .startsWith(
            "{\"code\":500,\"message\":\"always failing\",\"stacktrace\":\"java.lang.IllegalStateException");
    assertThat(h.marks("killed-rk1")).isEqualTo(2);

    String paused = h.sendId("/Tree/pauses/send", "\"rp1\"");
    await().atMost(Duration.ofSeconds(20)).until(() -> h.marks("pauses-rp1") == 3);
    Thread.sleep(1500); // a window in which no fourth attempt may start
    assertThat(h.marks("pauses-rp1")).isEqualTo(3);
    assertThat(h.ingressGet("/restate/invocation/" + paused + "/output").statusCode())
        .isEqualTo(470);
  }
}
