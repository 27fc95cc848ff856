package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.RestateCli;
import dev.resolute.testsupport.Wait;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Concurrency and rate limits end to end, on a Resolute node with four partitions and a real
 * deployment (the official Java SDK): rules set through the admin API and the official CLI,
 * invocations in scopes ({@code /restate/scope/{scope}/call|send/…}), the limit queue in SQL, and a
 * throttled backlog across {@code kill -9}.
 */
@Timeout(300)
class LimitsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static ResoluteProcess server;
  static ChildProcess services;
  static Path markers;

  /** The ports of the node now (a restart may change them). */
  static int ingress;

  static int admin;

  @BeforeAll
  static void start() throws Exception {
    server = ResoluteProcess.create("limits").env(Map.of("RESTATE_DEFAULT_NUM_PARTITIONS", "4"));
    markers = Files.createDirectories(server.workDir().resolve("markers"));
    server.start();
    ports();
    services =
        ChildProcess.start(
            ChildProcess.javaCommand(
                ChildProcess.testClasspath(),
                List.of(),
                "dev.resolute.server.it.LimitedServices",
                List.of("0", markers.toString())),
            Map.of(),
            server.workDir().resolve("services.log"));
    int port =
        Integer.parseInt(
            services.awaitOutput(Harness.SERVICES_READY, Duration.ofSeconds(60)).group(1));
    server.registerDeployment("http://127.0.0.1:" + port, false);
    // the first query of a node plans slowly (seconds on a busy machine): not while a backlog lasts
    query("SELECT * FROM sys_limit_queue");
    query("SELECT * FROM sys_rules");
  }

  static void ports() {
    ingress = server.ingressPort();
    admin = server.adminPort();
  }

  @AfterAll
  static void stop() {
    if (services != null) {
      services.kill9();
    }
    if (server != null) {
      server.discard();
    }
  }

  static CompletableFuture<HttpResponse<String>> callAsync(String path, String body) {
    return Harness.HTTP.sendAsync(
        Harness.request(ingress, "POST", path, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  static List<String> lines(String name) throws Exception {
    Path p = markers.resolve(name);
    return Files.exists(p) ? Files.readAllLines(p) : new ArrayList<>();
  }

  static void putRule(String json) throws Exception {
    HttpResponse<String> r = Harness.send(admin, "PUT", "/limits/rules", "[" + json + "]");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  static JsonNode query(String sql) throws Exception {
    HttpResponse<String> r =
        Harness.send(
            admin,
            "POST",
            "/query",
            JSON.writeValueAsString(Map.of("query", sql)),
            "accept",
            "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("rows");
  }

  static int maxInFlight(String tag) throws Exception {
    return lines("max-in-flight-" + tag).stream().mapToInt(Integer::parseInt).max().orElse(0);
  }

  @Test
  void aConcurrencyRuleOfTwoHoldsAtTheDeploymentAndEveryCallCompletes() throws Exception {
    // without a rule the deployment runs the 20 calls at once: the limit below is the rule's
    List<CompletableFuture<HttpResponse<String>>> free = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      free.add(callAsync("/Limited/work", "\"free:300\""));
    }
    for (CompletableFuture<HttpResponse<String>> c : free) {
      assertThat(c.get().statusCode()).isEqualTo(200);
    }
    assertThat(maxInFlight("free")).isGreaterThan(2);

    putRule("{\"pattern\":\"conc\",\"limits\":{\"concurrency\":2}}");
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(callAsync("/restate/scope/conc/call/Limited/work", "\"conc:500\""));
    }
    // the calls over the limit wait in the limit queue, visible in SQL
    Wait.until(
        "invocations waiting in sys_limit_queue",
        Duration.ofSeconds(30),
        () -> query("SELECT id FROM sys_limit_queue WHERE scope = 'conc'").size() > 0);
    for (CompletableFuture<HttpResponse<String>> c : calls) {
      HttpResponse<String> r = c.get();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("\"worked 500\"");
    }
    assertThat(maxInFlight("conc")).isEqualTo(2);
    assertThat(query("SELECT id FROM sys_limit_queue WHERE scope = 'conc'")).isEmpty();
  }

  @Test
  void aRateRuleHoldsWithinFivePercentUnderTenfoldOverloadWithNoLoss() throws Exception {
    int n = 100;
    double rate = 5;
    putRule("{\"pattern\":\"rate\",\"limits\":{\"rate_per_second\":5,\"burst\":2}}");
    long t0 = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> sends = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sends.add(callAsync("/restate/scope/rate/send/Limited/tick", "\"r" + i + "\""));
    }
    for (CompletableFuture<HttpResponse<String>> s : sends) {
      assertThat(s.get().statusCode()).isEqualTo(202);
    }
    double offeredPerSecond = n / ((System.nanoTime() - t0) / 1e9);
    assertThat(offeredPerSecond).as("offered load").isGreaterThanOrEqualTo(10 * rate);
    Wait.until("all ticks", Duration.ofSeconds(60), () -> lines("ticks").size() >= n);
    Map<String, Long> starts = new HashMap<>();
    for (String line : lines("ticks")) {
      String[] parts = line.split(" ");
      starts.putIfAbsent(parts[0], Long.parseLong(parts[1]));
    }
    assertThat(starts).as("every send ran").hasSize(n);
    long first = starts.values().stream().mapToLong(Long::longValue).min().orElseThrow();
    long last = starts.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    // the burst of 2 starts at once, then one every 200 ms
    double measured = (n - 2) / ((last - first) / 1000.0);
    System.out.printf(
        "LimitsIT: offered %.1f/s, measured %.3f starts/s under a rule of %.0f/s%n",
        offeredPerSecond, measured, rate);
    assertThat(measured).as("starts per second").isBetween(rate * 0.95, rate * 1.05);
  }

  @Test
  void aThrottledBacklogSurvivesKill9() throws Exception {
    putRule("{\"pattern\":\"crash\",\"limits\":{\"concurrency\":1}}");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      HttpResponse<String> r =
          Harness.send(ingress, "POST", "/restate/scope/crash/send/Limited/work", "\"crash:400\"");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      ids.add(r.headers().firstValue("x-restate-id").orElseThrow());
    }
    Wait.until(
        "a backlog in sys_limit_queue",
        Duration.ofSeconds(30),
        () -> query("SELECT id FROM sys_limit_queue WHERE scope = 'crash'").size() >= 4);
    server.restart(); // kill -9, the same data directory
    ports();
    for (String id : ids) {
      Wait.until(
          "output of " + id,
          Duration.ofSeconds(60),
          () -> Harness.get(ingress, "/restate/invocation/" + id + "/output").statusCode() == 200);
      assertThat(Harness.get(ingress, "/restate/invocation/" + id + "/output").body())
          .isEqualTo("\"worked 400\"");
    }
    assertThat(maxInFlight("crash")).isEqualTo(1);
    assertThat(query("SELECT pattern, concurrency FROM sys_rules WHERE pattern = 'crash'"))
        .hasSize(1);
  }

  @Test
  void theOfficialCliManagesRules() throws Exception {
    // the ports of now (another test restarts the node)
    RestateCli cli =
        RestateCli.against(
            "http://127.0.0.1:" + admin,
            "http://127.0.0.1:" + ingress,
            server.workDir().resolve("cli"));
    assertThat(
            cli.run("rules", "set", "cli1/*", "--concurrency", "3", "--description", "hi", "--yes")
                .assertOk()
                .stdout())
        .contains("Created rule 'cli1/*' (version v");
    String list = cli.run("rules", "list", "-x").assertOk().stdout();
    assertThat(list).contains("cli1/*").contains("hi");
    assertThat(cli.run("rules", "disable", "cli1/*", "--yes").assertOk().stdout())
        .contains("Rule 'cli1/*' disabled");
    assertThat(
            query("SELECT disabled FROM sys_rules WHERE pattern = 'cli1/*'")
                .get(0)
                .get("disabled")
                .asBoolean())
        .isTrue();
    assertThat(cli.run("rules", "enable", "cli1/*", "--yes").assertOk().stdout())
        .contains("Rule 'cli1/*' enabled");
    assertThat(cli.run("rules", "set", "cli1/*", "--concurrency", "5", "--yes").assertOk().stdout())
        .contains("cli1/*");
    assertThat(
            query("SELECT concurrency FROM sys_rules WHERE pattern = 'cli1/*'")
                .get(0)
                .get("concurrency")
                .asInt())
        .isEqualTo(5);
    assertThat(cli.run("rules", "delete", "cli1/*", "--yes").assertOk().stdout())
        .contains("Deleted rule 'cli1/*'");
    assertThat(cli.run("rules", "list").assertOk().stdout()).doesNotContain("cli1/*");
  }
}
