package dev.resolute.examples.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.Wait;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example application ({@link EmbeddedApp}, the engine inside) as a real child JVM, killed with
 * SIGKILL while orders are in flight — some asleep in their durable wait, some just accepted — and
 * started again on the same data directory: every order completes, each exactly once (its
 * idempotency key still names the same invocation), and a step whose result was journaled before
 * the crash is not executed again (one charge per order).
 */
@Timeout(300)
class EmbeddedAppCrashIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern READY = Pattern.compile("READY ingress=(\\d+)");
  private static final Duration START = Duration.ofSeconds(120);

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void everyOrderInFlightCompletesExactlyOnceAfterKill9() throws Exception {
    Path data = dir.resolve("data");
    Path log1 = dir.resolve("app-1.log");
    Path log2 = dir.resolve("app-2.log");
    Map<String, String> invocations = new LinkedHashMap<>(); // order -> invocation id
    List<String> asleep = new ArrayList<>();

    ChildProcess first = ChildProcess.start(command(data), Map.of(), log1);
    try {
      int port = Integer.parseInt(first.awaitOutput(READY, START).group(1));
      for (int i = 0; i < 6; i++) {
        String order = "order-" + i;
        invocations.put(order, send(port, order));
        asleep.add(order);
      }
      // "confirm" runs only once "charge" is journaled: then the order is in (or before) its wait
      Wait.until(
          "every order confirmed",
          Duration.ofSeconds(60),
          () -> asleep.stream().allMatch(o -> count(output(first), "confirm", o) >= 1));
      for (int i = 6; i < 10; i++) { // accepted just before the crash, in any step
        String order = "order-" + i;
        invocations.put(order, send(port, order));
      }
      first.kill9();
    } finally {
      first.close();
    }
    String before = Files.readString(log1);
    for (String order : asleep) {
      assertThat(count(before, "ship", order))
          .as("%s was asleep in its durable wait when killed", order)
          .isZero();
    }

    ChildProcess second = ChildProcess.start(command(data), Map.of(), log2);
    try {
      int port = Integer.parseInt(second.awaitOutput(READY, START).group(1));
      for (Map.Entry<String, String> e : invocations.entrySet()) {
        String order = e.getKey();
        String result = attach(port, e.getValue());
        assertThat(attach(port, e.getValue())).isEqualTo(result);
        assertThat(send(port, order))
            .as("the idempotency key names the same invocation")
            .isEqualTo(e.getValue());
        String all = before + Files.readString(log2);
        Matcher m =
            Pattern.compile("\"" + order + ": charged (\\S+), shipped (\\S+)\"").matcher(result);
        assertThat(m.matches()).as(result).isTrue();
        assertThat(all).contains("EFFECT charge " + order + " " + m.group(1) + "\n");
        assertThat(all).contains("EFFECT ship " + order + " " + m.group(2) + "\n");
        assertThat(count(all, "ship", order)).as("ship %s", order).isEqualTo(1);
        if (asleep.contains(order)) {
          assertThat(count(all, "charge", order)).as("charge %s", order).isEqualTo(1);
        }
      }
    } finally {
      second.stop();
      second.close();
    }
  }

  private static List<String> command(Path data) {
    return ChildProcess.javaCommand(
        ChildProcess.testClasspath(),
        List.of(
            "-Ddata.dir=" + data,
            "-Dingress.port=0",
            "-Dadmin.port=-1",
            "-Dwarehouse.delay.ms=3000",
            "-Ddemo=false"),
        EmbeddedApp.class.getName(),
        List.of());
  }

  /** Sends an order with its id as idempotency key; returns the invocation id. */
  private String send(int port, String order) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/Fulfillment/process/send"))
                .header("content-type", "application/json")
                .header("idempotency-key", order)
                .POST(HttpRequest.BodyPublishers.ofString("\"" + order + "\""))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
    return JSON.readTree(r.body()).get("invocationId").asText();
  }

  private String attach(int port, String invocationId) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + port
                            + "/restate/invocation/"
                            + invocationId
                            + "/attach"))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private static String output(ChildProcess p) {
    try {
      return p.output();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long count(String output, String step, String order) {
    return output.lines().filter(l -> l.startsWith("EFFECT " + step + " " + order + " ")).count();
  }
}
