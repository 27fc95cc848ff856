package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resolute.protocol.id.AwakeableId;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same requests against Resolute and against the real restate-server 1.7.12 (from {@code
 * .peers/}, installed by {@code scripts/install-peers}), both serving the same official Java SDK
 * 2.4.0 deployment: statuses, bodies and the error-source / idempotency-expires headers must be
 * equal, once invocation and awakeable ids are normalised.
 */
@Timeout(300)
class ReferenceComparisonIT {
  static Harness resolute;
  static Harness restate;

  @BeforeAll
  static void start() throws Exception {
    resolute = Harness.resolute("cmp");
    restate = Harness.restate(resolute);
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

  /** One server's transcript of a scenario. */
  private static final class Transcript {
    final Harness h;
    final String tag;
    final List<String> lines = new ArrayList<>();

    Transcript(Harness h) {
      this.h = h;
      this.tag = h.reference ? "zqa" : "zqb";
    }

    HttpResponse<String> record(String label, HttpResponse<String> r) {
      String body =
          r.body()
              // ids first: an id may contain the tag ("zqa") by chance
              .replaceAll("inv_1[0-9a-zA-Z]{33}", "inv_*")
              .replaceAll("sign_1[0-9a-zA-Z_=-]+", "sign_*")
              .replace(tag, "T")
              .replaceAll("\"executionTime\":\"[^\"]*\"", "\"executionTime\":\"*\"");
      lines.add(
          label
              + " -> "
              + r.statusCode()
              + " source="
              + r.headers().firstValue("x-restate-error-source").orElse("-")
              + " expires="
              + r.headers().firstValue("idempotency-expires").isPresent()
              + " id="
              + r.headers().firstValue("x-restate-id").isPresent()
              + " "
              + body);
      return r;
    }

    HttpResponse<String> call(String label, String path, String body, String... headers)
        throws Exception {
      return record(
          label,
          h.call(
              path.replace("{t}", tag), body == null ? null : body.replace("{t}", tag), headers));
    }

    HttpResponse<String> get(String label, String path) throws Exception {
      return record(label, h.ingressGet(path.replace("{t}", tag)));
    }

    HttpResponse<String> patch(String label, String path) throws Exception {
      return record(label, h.adminPatch(path));
    }

    HttpResponse<String> delete(String label, String path) throws Exception {
      return record(label, Harness.send(h.admin, "DELETE", path, null));
    }

    /** Any method on the ingress port; a body is sent as JSON. */
    HttpResponse<String> send(
        String label, String method, String path, String body, String... headers) throws Exception {
      return record(
          label,
          Harness.send(
              h.ingress,
              method,
              path.replace("{t}", tag),
              body == null ? null : body.replace("{t}", tag),
              headers));
    }

    /** The invocation id (x-restate-id) of a send. */
    String sendId(String label, String path, String body, String... headers) throws Exception {
      return call(label, path, body, headers).headers().firstValue("x-restate-id").orElseThrow();
    }
  }

  private static void compare(ScenarioStep scenario) throws Exception {
    Transcript ref = new Transcript(restate);
    scenario.run(ref);
    Transcript res = new Transcript(resolute);
    scenario.run(res);
    assertThat(String.join("\n", res.lines)).isEqualTo(String.join("\n", ref.lines));
  }

  interface ScenarioStep {
    void run(Transcript t) throws Exception;
  }

  @Test
  void virtualObjectState() throws Exception {
    compare(
        t -> {
          t.call("add", "/Counter/{t}-o/add", "5");
          t.call("add again", "/Counter/{t}-o/add", "2");
          t.call("shared get", "/Counter/{t}-o/get", null);
          t.call("put", "/Counter/{t}-o/put", "\"a=1\"");
          t.call("keys", "/Counter/{t}-o/keys", null);
          t.call("clear", "/Counter/{t}-o/clear", "\"a\"");
          t.call("read cleared", "/Counter/{t}-o/read", "\"a\"");
          t.call("set then fail", "/Counter/{t}-o/setThenFail", "\"kept\"");
          t.call("state kept", "/Counter/{t}-o/read", "\"last\"");
          t.call("clear all", "/Counter/{t}-o/clearAll", null);
          t.call("keys after clear all", "/Counter/{t}-o/keys", null);
          t.call("lazy 1", "/LazyBox/{t}-o/swap", "\"x\"");
          t.call("lazy 2", "/LazyBox/{t}-o/swap", "\"y\"");
        });
  }

  @Test
  void workflowLifecycle() throws Exception {
    compare(
        t -> {
          t.call("run send", "/Signup/{t}-w/run/send", "\"alice\"");
          t.call("run send again", "/Signup/{t}-w/run/send", "\"alice\"");
          t.call("run call while running", "/Signup/{t}-w/run", "\"alice\"");
          t.get("output while running", "/restate/workflow/Signup/{t}-w/output");
          t.h.published("wf-started-" + t.tag + "-w");
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () ->
                      t.h
                          .call("/Signup/" + t.tag + "-w/status", null)
                          .body()
                          .equals("\"waiting\""));
          t.call("peek", "/Signup/{t}-w/peek", null);
          t.call("approve", "/Signup/{t}-w/approve", "\"bob\"");
          t.call("approve again", "/Signup/{t}-w/approve", "\"carol\"");
          t.get("attach", "/restate/workflow/Signup/{t}-w/attach");
          t.get("output", "/restate/workflow/Signup/{t}-w/output");
          t.call("run call after completion", "/Signup/{t}-w/run", "\"alice\"");
          t.call("run send after completion", "/Signup/{t}-w/run/send", "\"alice\"");
          t.call("peek after", "/Signup/{t}-w/peek", null);
          t.get("unknown workflow output", "/restate/workflow/Signup/{t}-nope/output");
          t.get("unknown workflow attach", "/restate/workflow/Signup/{t}-nope/attach");
          t.call("promise before run", "/Signup/{t}-w2/approve", "\"early\"");
          t.call("run after promise", "/Signup/{t}-w2/run", "\"dave\"");
          t.call("run twice and send from a handler", "/Tree/runWorkflowTwice", "\"{t}-rw\"");
        });
  }

  @Test
  void idempotencyKeys() throws Exception {
    compare(
        t -> {
          t.call(
              "first",
              "/Greeter/count",
              "\"{t}-i\"",
              "idempotency-key",
              "{t}-k".replace("{t}", t.tag));
          t.call(
              "second",
              "/Greeter/count",
              "\"{t}-i\"",
              "idempotency-key",
              "{t}-k".replace("{t}", t.tag));
          t.call(
              "send",
              "/Greeter/count/send",
              "\"{t}-i\"",
              "idempotency-key",
              "{t}-k".replace("{t}", t.tag));
          t.get("output by key", "/restate/invocation/Greeter/count/{t}-k/output");
          t.get("attach by key", "/restate/invocation/Greeter/count/{t}-k/attach");
          t.get("unknown key output", "/restate/invocation/Greeter/count/{t}-zz/output");
          t.get("unknown key attach", "/restate/invocation/Greeter/count/{t}-zz/attach");
          t.call("object", "/Counter/{t}-io/add", "5", "idempotency-key", "o1");
          t.call("object again", "/Counter/{t}-io/add", "5", "idempotency-key", "o1");
          t.get("object output by key", "/restate/invocation/Counter/{t}-io/add/o1/output");
          t.get(
              "unknown id output",
              "/restate/invocation/inv_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHPE/output");
          t.get(
              "unknown id attach",
              "/restate/invocation/inv_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHPE/attach");
          t.call("handler idempotent calls", "/Tree/idempotentCalls", "\"{t}-hc\"");
          t.lines.add(
              "executions "
                  + t.h.marks("count-" + t.tag + "-i")
                  + " "
                  + t.h.marks("count-" + t.tag + "-hc"));
        });
  }

  @Test
  void awakeables() throws Exception {
    compare(
        t -> {
          String id =
              t.call("await send", "/Tree/awaitAwakeable/send", "\"{t}-a1\"")
                  .headers()
                  .firstValue("x-restate-id")
                  .orElseThrow();
          t.call(
              "resolve",
              "/restate/awakeables/" + t.h.published("awk-" + t.tag + "-a1") + "/resolve",
              "\"yes\"");
          awaitDone(
              t, id); // attach of a completed invocation carries idempotency-expires, a waiting one
          // not
          t.get("attach resolved", "/restate/invocation/" + id + "/attach");
          String id2 =
              t.call("await send 2", "/Tree/awaitAwakeable/send", "\"{t}-a2\"")
                  .headers()
                  .firstValue("x-restate-id")
                  .orElseThrow();
          t.record(
              "reject",
              Harness.send(
                  t.h.ingress,
                  "POST",
                  "/restate/awakeables/" + t.h.published("awk-" + t.tag + "-a2") + "/reject",
                  null,
                  "content-type",
                  "text/plain"));
          awaitDone(t, id2);
          t.get("attach rejected", "/restate/invocation/" + id2 + "/attach");
          String id3 =
              t.call("await send 3", "/Tree/awaitAwakeable/send", "\"{t}-a3\"")
                  .headers()
                  .firstValue("x-restate-id")
                  .orElseThrow();
          t.call(
              "complete from handler",
              "/Tree/completeAwakeable",
              "\"" + t.h.published("awk-" + t.tag + "-a3") + "|hi\"");
          awaitDone(t, id3);
          t.get("attach completed from handler", "/restate/invocation/" + id3 + "/attach");
          for (String bad :
              List.of(
                  "sign_1garbage",
                  "garbage",
                  "sign_2AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYAAAAEQ",
                  "inv_1AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYAAAAEQ",
                  "prom_1garbage")) {
            t.call("malformed " + bad, "/restate/awakeables/" + bad + "/resolve", "\"x\"");
          }
          t.call(
              "unknown",
              "/restate/awakeables/sign_1AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYAAAAEQ/resolve",
              "\"x\"");
          t.get(
              "GET on resolve",
              "/restate/awakeables/sign_1AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYAAAAEQ/resolve");
        });
  }

  private static void awaitDone(Transcript t, String id) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> t.h.ingressGet("/restate/invocation/" + id + "/output").statusCode() != 470);
  }

  @Test
  void cancelAndKill() throws Exception {
    compare(
        t -> {
          String parent =
              t.call("parent send", "/Tree/parent/send", "\"{t}-c\"")
                  .headers()
                  .firstValue("x-restate-id")
                  .orElseThrow();
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> t.h.marks("child-started-" + t.tag + "-c-called") == 1);
          String killedParent =
              t.call("parent send (kill)", "/Tree/parent/send", "\"{t}-kp\"")
                  .headers()
                  .firstValue("x-restate-id")
                  .orElseThrow();
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () ->
                      t.h.marks("child-started-" + t.tag + "-kp-called") == 1
                          && t.h.marks("child-started-" + t.tag + "-kp-detached") == 1);
          t.patch("kill parent", "/invocations/" + killedParent + "/kill");
          t.patch("cancel", "/invocations/" + parent + "/cancel");
          t.get("attach cancelled", "/restate/invocation/" + parent + "/attach");
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> t.h.marks("child-cancelled-" + t.tag + "-c-called") == 1);
          t.patch("cancel again", "/invocations/" + parent + "/cancel");
          t.patch("kill completed", "/invocations/" + parent + "/kill");
          t.patch("cancel unknown", "/invocations/inv_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHPE/cancel");
          t.patch("cancel malformed", "/invocations/garbage/cancel");

          CompletableFuture<HttpResponse<String>> holder =
              t.h.callAsync("/Counter/" + t.tag + "-k/hold", "\"" + t.tag + "-k\"");
          String holderId =
              AwakeableId.parse(t.h.published("awk-" + t.tag + "-k")).invocationId().toString();
          String inboxed =
              t.call("inboxed send", "/Counter/{t}-k/append/send", "\"x\"")
                  .headers()
                  .firstValue("x-restate-id")
                  .orElseThrow();
          CompletableFuture<HttpResponse<String>> queued =
              t.h.callAsync("/Counter/" + t.tag + "-k/append", "\"after\"");
          t.get("output inboxed", "/restate/invocation/" + inboxed + "/output");
          t.patch("cancel inboxed", "/invocations/" + inboxed + "/cancel");
          t.get("output cancelled inboxed", "/restate/invocation/" + inboxed + "/output");
          t.patch("kill holder", "/invocations/" + holderId + "/kill");
          t.record("holder sees", holder.get());
          t.record("queued call runs", queued.get());
          t.patch("kill again", "/invocations/" + holderId + "/kill");
          t.get("output killed", "/restate/invocation/" + holderId + "/output");
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> t.h.marks("child-done-" + t.tag + "-c-detached") == 1);
          t.lines.add("called child finished " + t.h.marks("child-done-" + t.tag + "-c-called"));
          Thread.sleep(500); // a window for the children of the killed parent to finish (or not)
          // kill reaches the children of the killed parent, the one-way child too (observed on
          // 1.7.12)
          t.lines.add(
              "children of killed parent finished: called "
                  + t.h.marks("child-done-" + t.tag + "-kp-called")
                  + ", detached "
                  + t.h.marks("child-done-" + t.tag + "-kp-detached")
                  + ", compensated "
                  + t.h.marks("compensated-" + t.tag + "-kp"));
        });
  }

  @Test
  void resumePausePurge() throws Exception {
    compare(
        t -> {
          String paused =
              t.call("pause send", "/Tree/pauses/send", "\"{t}-rp\"")
                  .headers()
                  .firstValue("x-restate-id")
                  .orElseThrow();
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> t.h.marks("pauses-" + t.tag + "-rp") == 3);
          // the third failure has been recorded: paused. Not observable from outside without
          // changing the state
          // (a pause or resume probe would act), so a sleep until introspection gives a query to
          // wait on
          Thread.sleep(1000);
          t.patch("pause paused", "/invocations/" + paused + "/pause");
          t.patch("purge running", "/invocations/" + paused + "/purge");
          t.patch("purge-journal running", "/invocations/" + paused + "/purge-journal");
          t.patch("resume paused", "/invocations/" + paused + "/resume");
          // a fresh retry budget: three more attempts, then paused again
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> t.h.marks("pauses-" + t.tag + "-rp") == 6);
          Thread.sleep(1000); // a window in which no seventh attempt may start
          t.lines.add("attempts after resume " + t.h.marks("pauses-" + t.tag + "-rp"));
          t.patch(
              "resume bad deployment", "/invocations/" + paused + "/resume?deployment=dp_bogus");
          String cancelled = t.sendId("pause send 2", "/Tree/pauses/send", "\"{t}-rc\"");
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> t.h.marks("pauses-" + t.tag + "-rc") == 3);
          Thread.sleep(
              1000); // paused after the third failure: not observable without acting on it (see
          // above)
          t.patch("cancel paused", "/invocations/" + cancelled + "/cancel");
          // the handler runs again with a fresh budget of three attempts (it never sees the cancel:
          // it fails first)
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> t.h.marks("pauses-" + t.tag + "-rc") == 6);
          Thread.sleep(1000); // a window in which no seventh attempt may start
          t.lines.add("attempts after cancel " + t.h.marks("pauses-" + t.tag + "-rc"));
          t.get("output after cancel of paused", "/restate/invocation/" + cancelled + "/output");
          t.patch("kill it", "/invocations/" + cancelled + "/kill");
          t.patch("kill paused", "/invocations/" + paused + "/kill");
          t.patch("resume completed", "/invocations/" + paused + "/resume");
          t.patch("pause completed", "/invocations/" + paused + "/pause");
          String scheduled =
              t.call("delayed send", "/Greeter/greet/send?delay=60s", "\"later\"")
                  .headers()
                  .firstValue("x-restate-id")
                  .orElseThrow();
          t.patch("resume scheduled", "/invocations/" + scheduled + "/resume");
          t.patch("pause scheduled", "/invocations/" + scheduled + "/pause");
          t.patch("resume unknown", "/invocations/inv_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHPE/resume");
          t.patch("pause unknown", "/invocations/inv_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHPE/pause");
          t.patch("purge unknown", "/invocations/inv_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHPE/purge");
          String done =
              t.call(
                      "idempotent call",
                      "/Greeter/greet",
                      "\"{t}\"",
                      "idempotency-key",
                      t.tag + "-pk")
                  .headers()
                  .firstValue("x-restate-id")
                  .orElseThrow();
          t.patch("purge-journal completed", "/invocations/" + done + "/purge-journal");
          t.get("output after purge-journal", "/restate/invocation/" + done + "/output");
          t.patch("purge completed", "/invocations/" + done + "/purge");
          t.get("output after purge", "/restate/invocation/" + done + "/output");
          t.patch("purge again", "/invocations/" + done + "/purge");
          t.call(
              "same key runs again",
              "/Greeter/greet/send",
              "\"{t}\"",
              "idempotency-key",
              t.tag + "-pk");
        });
  }

  @Test
  void retriesTimeoutsAndRandom() throws Exception {
    compare(
        t -> {
          t.call("kill on max attempts", "/Tree/killed", "\"{t}-r\"");
          t.lines.add("killed attempts " + t.h.marks("killed-" + t.tag + "-r"));
          String paused =
              t.call("pause send", "/Tree/pauses/send", "\"{t}-p\"")
                  .headers()
                  .firstValue("x-restate-id")
                  .orElseThrow();
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> t.h.marks("pauses-" + t.tag + "-p") == 3);
          Thread.sleep(1500); // a window in which no fourth attempt may start
          t.lines.add("paused attempts " + t.h.marks("pauses-" + t.tag + "-p"));
          t.get("output paused", "/restate/invocation/" + paused + "/output");
          t.call("call timeout", "/Tree/callWithTimeout", "\"{t}-to\"");
          String r =
              t.h.call("/Tree/random", "\"" + t.tag + "-rs\"").body(); // values differ: ids differ
          t.lines.add(
              "random stable "
                  + t.h.lines("random-" + t.tag + "-rs").stream()
                      .allMatch(v -> r.equals("\"" + v + "\"")));
        });
  }

  /** Path shapes, ids and keys on the lookup and call paths: which check answers first, and how. */
  @Test
  void lookupPathsIdsAndKeys() throws Exception {
    compare(
        t -> {
          t.call("idempotent call", "/Greeter/count", "\"{t}-lp\"", "idempotency-key", "my key");
          t.get("key percent-decoded? no", "/restate/invocation/Greeter/count/my%20key/output");
          t.get(
              "extra segment after op", "/restate/invocation/Greeter/count/my%20key/output/extra");
          t.get("unknown service by key", "/restate/invocation/Nope/count/k/output");
          t.get("unknown service by key attach", "/restate/invocation/Nope/count/k/attach");
          t.get("unknown object by key", "/restate/invocation/Nope/x/add/k/output");
          t.get("unknown handler by key", "/restate/invocation/Greeter/nope/k/output");
          t.get("object shape on a service", "/restate/invocation/Greeter/x/count/k/output");
          t.get("service shape on an object", "/restate/invocation/Counter/add/k/output");
          t.get("encoded service by key", "/restate/invocation/Gr%65eter/count/k/output");
          t.get("too few segments", "/restate/invocation/x");
          t.get("five segments", "/restate/invocation/Greeter/count/output");
          t.get("more than 7 slashes", "/restate/invocation/a/b/c/d/e/output");
          t.get(
              "id then extra",
              "/restate/invocation/inv_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHPE/output/extra");
          t.get("id bad op", "/restate/invocation/inv_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHPE/foo");
          for (String bad :
              List.of(
                  "garbage",
                  "inv_1garbage",
                  "inv_",
                  "_1abc",
                  "foo_1abc",
                  "inv_2grmnjtavDmM4hY93tcK6eXQ11bVt7zHPE",
                  "sign_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHPE",
                  "inv_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHP!",
                  "inv_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHPEE",
                  "inv_1zzzzzzzzzzzgrmnjtavDmM4hY93tcK6eX",
                  "inv_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHP%45")) {
            t.get("bad id " + bad, "/restate/invocation/" + bad + "/output");
            t.patch("admin bad id " + bad, "/invocations/" + bad + "/cancel");
          }
          t.send("bad id, POST", "POST", "/restate/invocation/garbage/output", null);
          t.send("unknown service by key, PUT", "PUT", "/restate/invocation/x/y/z/output", null);
          t.get("workflow bad op", "/restate/workflow/Signup/x/foo");
          t.get("workflow extra segment", "/restate/workflow/Signup/x/output/extra");
          t.get("workflow short", "/restate/workflow/Signup/x");
          t.send("workflow bad op, POST", "POST", "/restate/workflow/Signup/x/foo", null);
          t.get("awakeables short", "/restate/awakeables/x");
          t.call(
              "awakeable extra segment",
              "/restate/awakeables/sign_1AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYAAAAEQ/resolve/x",
              "\"x\"");
          t.call(
              "awakeable id not decoded",
              "/restate/awakeables/sign_1AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYAAAAE%51/resolve",
              "\"x\"");
          t.get("restate alone", "/restate/");
          t.get("root", "//");
          t.get("unknown restate verb", "/restate/foo");
          t.call("encoded service", "/Gr%65eter/greet", "\"x\"");
          t.call("encoded handler", "/Greeter/gr%65et", "\"x\"");
          t.call("encoded key", "/Counter/{t}%20lp/add", "1");
          t.call("key read back", "/Counter/{t}%20lp/get", null);
          t.call("key not UTF-8", "/Counter/a%ff/get", null);
          t.call("key cut UTF-8", "/Counter/a%e2%82/get", null);
          t.call("trailing slashes", "/Greeter/greet//", "\"x\"");
          t.call("more than 7 slashes on a call", "/Greeter/greet/send/a/b/c/d/e", "\"x\"");
          t.send("DELETE unknown service", "DELETE", "/Nope/greet", null);
          t.send("DELETE bad shape", "DELETE", "/Greeter/greet/x/y", null);
          t.send("DELETE unknown handler", "DELETE", "/Greeter/nope", null);
          t.send("DELETE private handler", "DELETE", "/Greeter/secret", null);
          t.send(
              "DELETE workflow run with key",
              "DELETE",
              "/Signup/x/run",
              null,
              "idempotency-key",
              "k");
          t.send("GET call with delay, no body", "GET", "/Greeter/greet?delay=1s", null);
          t.send("send with bad delay, no body", "POST", "/Greeter/greet/send?delay=xx", null);
          t.call(
              "workflow run with key and delay",
              "/Signup/x/run?delay=1s",
              "\"x\"",
              "idempotency-key",
              "k");
        });
  }

  /** Odd idempotency keys and header values. */
  @Test
  void idempotencyKeyAndHeaderShapes() throws Exception {
    compare(
        t -> {
          t.call("empty key", "/Greeter/count", "\"{t}-ek\"", "idempotency-key", "");
          HttpResponse<String> again =
              t.call("empty key again", "/Greeter/count", "\"{t}-ek\"", "idempotency-key", "");
          // Greeter/count keeps idempotent results for 3s: the empty key is a key like any other
          java.time.OffsetDateTime expires =
              java.time.OffsetDateTime.parse(
                  again.headers().firstValue("idempotency-expires").orElseThrow());
          t.lines.add(
              "expires within a minute "
                  + expires.isBefore(java.time.OffsetDateTime.now().plusMinutes(1)));
          t.lines.add("executions " + t.h.marks("count-" + t.tag + "-ek"));
          t.call("padded key", "/Greeter/count", "\"{t}-pk\"", "idempotency-key", " {t}-pk ");
          t.get("padded key looked up trimmed", "/restate/invocation/Greeter/count/{t}-pk/output");
          t.call("non-ASCII key", "/Greeter/count", "\"{t}-nk\"", "idempotency-key", "\u00e9");
          t.call("non-ASCII header", "/Greeter/greet", "\"x\"", "x-foo", "\u00e9");
          t.call("non-ASCII header on a send", "/Greeter/greet/send", "\"x\"", "x-foo", "\u00e9");
        });
  }

  /** The deprecated DELETE /invocations/{id}?mode=… of the admin API. */
  @Test
  void deprecatedDeleteOfInvocations() throws Exception {
    compare(
        t -> {
          String unknown = "/invocations/inv_1grmnjtavDmM4hY93tcK6eXQ11bVt7zHPE";
          t.delete("unknown", unknown);
          t.delete("unknown, kill", unknown + "?mode=Kill");
          t.delete("bad mode", unknown + "?mode=foo");
          t.delete("empty mode", unknown + "?mode=");
          t.delete("bad id", "/invocations/inv_1garbage");
          t.delete("bad id and bad mode", "/invocations/inv_1garbage?mode=foo");
          String cancelled = t.sendId("send", "/Tree/awaitAwakeable/send", "\"{t}-d1\"");
          t.h.published("awk-" + t.tag + "-d1");
          t.delete("cancel running", "/invocations/" + cancelled);
          awaitDone(t, cancelled);
          t.get("cancelled", "/restate/invocation/" + cancelled + "/output");
          String killed = t.sendId("send 2", "/Tree/awaitAwakeable/send", "\"{t}-d2\"");
          t.h.published("awk-" + t.tag + "-d2");
          t.delete("kill running", "/invocations/" + killed + "?mode=kill");
          awaitDone(t, killed);
          t.get("killed", "/restate/invocation/" + killed + "/output");
          t.delete("purge completed", "/invocations/" + killed + "?mode=purge");
          // the purge is applied; waiting for the output to change would presuppose the answer this
          // comparison
          // records, so a sleep until introspection gives a query to wait on
          Thread.sleep(300);
          t.get("purged", "/restate/invocation/" + killed + "/output");
          t.delete("cancel completed", "/invocations/" + cancelled);
        });
  }

  /** CORS headers of the ingress: preflights and ordinary answers. */
  @Test
  void cors() throws Exception {
    compare(
        t -> {
          for (String[] req :
              List.of(
                  new String[] {
                    "OPTIONS",
                    "/Greeter/greet",
                    "origin",
                    "http://a.b",
                    "access-control-request-method",
                    "PUT",
                    "access-control-request-headers",
                    "x-foo, content-type"
                  },
                  new String[] {"OPTIONS", "/restate/health"},
                  new String[] {"POST", "/Greeter/greet", "origin", "http://a.b"},
                  new String[] {"GET", "/Nope/greet", "origin", "http://a.b"},
                  new String[] {"GET", "/restate/health"})) {
            String[] headers = java.util.Arrays.copyOfRange(req, 2, req.length);
            HttpResponse<String> r =
                Harness.send(
                    t.h.ingress, req[0], req[1], req[0].equals("POST") ? "\"x\"" : null, headers);
            StringBuilder line = new StringBuilder(req[0] + " " + req[1] + " -> " + r.statusCode());
            for (String name :
                List.of(
                    "access-control-allow-origin",
                    "access-control-allow-credentials",
                    "access-control-allow-methods",
                    "access-control-allow-headers",
                    "vary")) {
              line.append(' ')
                  .append(name)
                  .append('=')
                  .append(r.headers().firstValue(name).orElse("-"));
            }
            t.lines.add(line.toString());
          }
        });
  }

  /** Ingress-private handlers: refused at the ingress, callable from handlers. */
  @Test
  void privateHandlers() throws Exception {
    compare(
        t -> {
          t.call("call", "/Greeter/secret", "\"x\"");
          t.call("send", "/Greeter/secret/send", "\"x\"");
          t.call("idempotent call", "/Greeter/secret", "\"x\"", "idempotency-key", t.tag + "-pv");
          t.get("output by key", "/restate/invocation/Greeter/secret/" + t.tag + "-pv/output");
          t.call("from a handler", "/Tree/callSecret", "\"x\"");
        });
  }

  /**
   * Delays at the limits of restate-server's durations: far-future sends are taken (2611, 4764),
   * overflows and out-of-range units are 400s with its messages (no wrap-around, no 500). Delays
   * that end after 9999 are left out: restate-server drops the connection there.
   */
  @Test
  void delaysAtTheLimits() throws Exception {
    compare(
        t -> {
          for (String delay :
              List.of(
                  "213504d",
                  "1000000d",
                  "106752d",
                  "9223372036854775807ns",
                  "9223372036854775808ns",
                  "18446744083709551616ns",
                  "18446744073709551615s",
                  "P99999999999999D",
                  "10000000d",
                  "1043498w",
                  "2562047788015215h",
                  "2562047788015216h",
                  "PT9223372036854775808S",
                  "PT99999999999999H",
                  "1.5d",
                  "1%20year%20ago",
                  "1s%20ago",
                  "-P1Y",
                  "-",
                  "P",
                  "01:02:03",
                  "1d%20x",
                  "PT1.5H1S",
                  "5%C2%B5s",
                  "1s,x",
                  "1s%201s")) {
            t.call("delay '" + delay + "'", "/Greeter/greet/send?delay=" + delay, "\"z\"");
          }
        });
  }

  /**
   * Delayed sends (with idempotency keys and on a workflow run) and what their duplicates answer.
   */
  @Test
  void scheduledSendsAndTheirDuplicates() throws Exception {
    compare(
        t -> {
          String id =
              t.sendId(
                  "delayed idempotent send",
                  "/Greeter/greet/send?delay=60s",
                  "\"x\"",
                  "idempotency-key",
                  t.tag + "-s1");
          t.call(
              "duplicate without delay",
              "/Greeter/greet/send",
              "\"x\"",
              "idempotency-key",
              t.tag + "-s1");
          t.call(
              "duplicate with another delay",
              "/Greeter/greet/send?delay=5s",
              "\"x\"",
              "idempotency-key",
              t.tag + "-s1");
          t.get("output while scheduled", "/restate/invocation/" + id + "/output");
          t.get(
              "output by key while scheduled",
              "/restate/invocation/Greeter/greet/" + t.tag + "-s1/output");
          t.patch("cancel scheduled", "/invocations/" + id + "/cancel");
          t.get("output after cancel", "/restate/invocation/" + id + "/output");
          t.call(
              "send after cancel",
              "/Greeter/greet/send",
              "\"x\"",
              "idempotency-key",
              t.tag + "-s1");
          t.call("started send", "/Greeter/greet/send", "\"y\"", "idempotency-key", t.tag + "-s2");
          t.call(
              "its duplicate with a delay",
              "/Greeter/greet/send?delay=10s",
              "\"y\"",
              "idempotency-key",
              t.tag + "-s2");
          t.call("send with delay 0s", "/Greeter/greet/send?delay=0s", "\"y\"");
          for (String delay :
              List.of(
                  "", "xx", "10", "1x", "10S", "1.5", "1y", "2months", "P1Y", "PT", "1s%20x",
                  "1milli", "10%20s", "PT1.5S", "-1s")) {
            t.call("delay '" + delay + "'", "/Greeter/greet/send?delay=" + delay, "\"y\"");
          }
          t.call("delayed workflow run", "/Signup/{t}-sw/run/send?delay=60s", "\"x\"");
          t.call("workflow run again", "/Signup/{t}-sw/run/send", "\"x\"");
          t.get("workflow output while scheduled", "/restate/workflow/Signup/{t}-sw/output");
          t.call("shared handler while scheduled", "/Signup/{t}-sw/status", null);
          t.call("promise while scheduled", "/Signup/{t}-sw/approve", "\"bob\"");
          t.call("peek while scheduled", "/Signup/{t}-sw/peek", null);
          String run = t.sendId("workflow run again", "/Signup/{t}-sw/run/send", "\"x\"");
          t.patch("kill scheduled workflow run", "/invocations/" + run + "/kill");
          t.get("workflow output after kill", "/restate/workflow/Signup/{t}-sw/output");
          t.call("workflow run accepted anew", "/Signup/{t}-sw/run/send?delay=60s", "\"x\"");
        });
  }

  /** Kill and cancel seen by callers, on workflow runs and on suspended invocations. */
  @Test
  void killAndCancelSeenByCallersWorkflowsAndSuspendedInvocations() throws Exception {
    compare(
        t -> {
          String parent = t.sendId("parent send", "/Tree/parent/send", "\"{t}-kc\"");
          String child = t.h.published("child-id-" + t.tag + "-kc-called");
          t.patch("kill the awaited child", "/invocations/" + child + "/kill");
          awaitDone(t, parent);
          t.get("parent sees the kill", "/restate/invocation/" + parent + "/attach");
          t.get("child output", "/restate/invocation/" + child + "/output");
          t.lines.add("parent compensated " + t.h.marks("compensated-" + t.tag + "-kc"));

          String run = t.sendId("workflow run", "/Signup/{t}-wk/run/send", "\"x\"");
          t.h.published("wf-started-" + t.tag + "-wk");
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () ->
                      t.h
                          .call("/Signup/" + t.tag + "-wk/status", null)
                          .body()
                          .equals("\"waiting\""));
          t.patch("kill workflow run", "/invocations/" + run + "/kill");
          t.get("workflow output", "/restate/workflow/Signup/{t}-wk/output");
          t.get("workflow attach", "/restate/workflow/Signup/{t}-wk/attach");
          t.call("run again", "/Signup/{t}-wk/run", "\"x\"");
          t.call("send run again", "/Signup/{t}-wk/run/send", "\"x\"");
          t.call("state kept", "/Signup/{t}-wk/status", null);
          t.call("promise after kill", "/Signup/{t}-wk/approve", "\"bob\"");
          t.call("peek after kill", "/Signup/{t}-wk/peek", null);
          t.patch("cancel killed run", "/invocations/" + run + "/cancel");
          t.patch("purge killed run", "/invocations/" + run + "/purge");
          t.get("workflow output after purge", "/restate/workflow/Signup/{t}-wk/output");
          t.call("state after purge", "/Signup/{t}-wk/status", null);

          // a cancel propagated to a callee still waiting in its object's inbox: it never runs
          CompletableFuture<HttpResponse<String>> holder =
              t.h.callAsync("/Counter/" + t.tag + "-ci/hold", "\"" + t.tag + "-ci\"");
          String holderAwk = t.h.published("awk-" + t.tag + "-ci");
          String caller =
              t.sendId(
                  "call to a locked key", "/Tree/callAppend/send", "\"{t}-ci/cancelled-item\"");
          t.h.published(
              "calling-"
                  + t.tag
                  + "-ci"); // the call is journaled: its callee waits for the locked key
          t.patch("cancel the caller", "/invocations/" + caller + "/cancel");
          awaitDone(t, caller);
          t.get("caller cancelled", "/restate/invocation/" + caller + "/attach");
          t.call("release the key", "/restate/awakeables/" + holderAwk + "/resolve", "\"go\"");
          t.record("holder", holder.get());
          t.call("the cancelled callee never ran", "/Counter/{t}-ci/log", null);

          String cancelled = t.sendId("suspending send", "/Tree/suspends/send", "\"{t}-s1\"");
          t.h.published("awk-" + t.tag + "-s1");
          // inactivity timeout 500ms: suspended. The SDK closes the stream without a sign a test
          // could read (and
          // introspection is not there yet), so a sleep
          Thread.sleep(2000);
          t.patch("pause suspended", "/invocations/" + cancelled + "/pause");
          t.patch("cancel suspended", "/invocations/" + cancelled + "/cancel");
          awaitDone(t, cancelled);
          t.get("cancelled attach", "/restate/invocation/" + cancelled + "/attach");
          t.lines.add("saw the cancel " + t.h.marks("suspends-cancelled-" + t.tag + "-s1"));
          String resumed = t.sendId("suspending send 2", "/Tree/suspends/send", "\"{t}-s2\"");
          String awk = t.h.published("awk-" + t.tag + "-s2");
          Thread.sleep(2000); // suspended, as above
          t.patch("resume suspended", "/invocations/" + resumed + "/resume");
          t.call("resolve", "/restate/awakeables/" + awk + "/resolve", "\"v\"");
          awaitDone(t, resumed);
          t.get("resumed attach", "/restate/invocation/" + resumed + "/attach");
        });
  }
}
