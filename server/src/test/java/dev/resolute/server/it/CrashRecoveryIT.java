package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * SIGKILL of the Resolute server while virtual objects hold their locks (with calls waiting in
 * their inboxes), workflows wait on durable promises and a counter has acknowledged sends: after
 * the restart everything completes, no lock is lost or doubled, no promise or send is lost.
 */
@Timeout(240)
class CrashRecoveryIT {
  static Harness h;

  @BeforeAll
  static void start() throws Exception {
    h = Harness.resolute("crash");
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void locksInboxesPromisesAndAcknowledgedSendsSurviveAServerCrash() throws Exception {
    h.sendId("/Counter/cr1/hold/send", "\"cr1\"");
    h.sendId("/Counter/cr2/hold/send", "\"cr2\"");
    h.published("awk-cr1");
    h.published("awk-cr2");
    for (String q : List.of("q1", "q2", "q3")) {
      h.sendId("/Counter/cr1/append/send", "\"" + q + "\"");
    }
    h.sendId("/Signup/wcr1/run/send", "\"ann\"");
    h.sendId("/Signup/wcr2/run/send", "\"ben\"");
    h.published("wf-started-wcr1");
    h.published("wf-started-wcr2");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                h.call("/Signup/wcr1/status", null).body().equals("\"waiting\"")
                    && h.call("/Signup/wcr2/status", null).body().equals("\"waiting\""));
    List<CompletableFuture<HttpResponse<String>>> adds = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      adds.add(h.callAsync("/Counter/crc/add/send", "1"));
    }
    for (CompletableFuture<HttpResponse<String>> f : adds) {
      assertThat(f.get().statusCode()).isEqualTo(202);
    }
    String awk1 = h.published("awk-cr1");
    String awk2 = h.published("awk-cr2");
    // a shared handler waits on a promise of a workflow id that has no run; another promise is
    // completed before the crash
    String waiter = h.sendId("/Signup/wcr3/await/send", null);
    assertThat(h.call("/Signup/wcr4/approve", "\"early\"").body()).isEqualTo("\"ok\"");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> h.ingressGet("/restate/invocation/" + waiter + "/output").statusCode() == 470);
    h.published("awaiting-wcr3"); // the waiter's GetPromise is recorded

    h.restartServer();

    // the lock of cr1 is still held by the hold invocation: its inbox has not moved (a window in
    // which nothing
    // may happen, so a sleep)
    Thread.sleep(1000);
    assertThat(h.call("/Counter/cr1/log", null).body()).isEqualTo("\"\"");
    assertThat(h.call("/restate/awakeables/" + awk1 + "/resolve", "\"x\"").statusCode())
        .isEqualTo(202);
    assertThat(h.call("/restate/awakeables/" + awk2 + "/resolve", "\"y\"").statusCode())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> h.call("/Counter/cr1/log", null).body().equals("\"held-x,q1,q2,q3\""));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> h.call("/Counter/cr2/log", null).body().equals("\"held-y\""));

    assertThat(h.call("/Signup/wcr1/approve", "\"zoe\"").body()).isEqualTo("\"ok\"");
    assertThat(h.call("/Signup/wcr2/approve", "\"yan\"").body()).isEqualTo("\"ok\"");
    assertThat(h.ingressGet("/restate/workflow/Signup/wcr1/attach").body())
        .isEqualTo("\"ann approved by zoe\"");
    assertThat(h.ingressGet("/restate/workflow/Signup/wcr2/attach").body())
        .isEqualTo("\"ben approved by yan\"");
    assertThat(h.marks("wf-started-wcr1")).isEqualTo(1);
    assertThat(h.call("/Signup/wcr4/peek", null).body()).isEqualTo("\"ready:early\"");
    assertThat(h.call("/Signup/wcr3/approve", "\"late\"").body()).isEqualTo("\"ok\"");
    assertThat(h.ingressGet("/restate/invocation/" + waiter + "/attach").body())
        .isEqualTo("\"awaited:late\"");
    assertThat(h.call("/Signup/wcr4/run", "\"cat\"").body()).isEqualTo("\"cat approved by early\"");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> h.call("/Counter/crc/get", null).body().equals("20"));
    Thread.sleep(500); // a window in which no add may be applied twice
    assertThat(h.call("/Counter/crc/get", null).body()).isEqualTo("20");
    // the object still works normally afterwards: one lock, one writer
    assertThat(h.call("/Counter/cr1/append", "\"end\"").body())
        .isEqualTo("\"held-x,q1,q2,q3,end\"");
  }
}
