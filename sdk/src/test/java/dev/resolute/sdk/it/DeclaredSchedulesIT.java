package dev.resolute.sdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.sdk.Context;
import dev.resolute.sdk.annotation.Handler;
import dev.resolute.sdk.annotation.RateLimit;
import dev.resolute.sdk.annotation.Schedule;
import dev.resolute.sdk.annotation.Service;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.endpoint.definition.ScheduleDefinition;
import dev.resolute.sdk.http.ResoluteHttpServer;
import dev.resolute.testsupport.Http;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.RestateServerProcess;
import dev.resolute.testsupport.ServerProcess;
import dev.resolute.testsupport.Wait;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Schedules and rates declared by the SDK ({@link Schedule}, {@link RateLimit}) end to end: the
 * real restate-server 1.7.12 accepts the manifest that carries them; on a Resolute server (a child
 * JVM) the registration creates the schedule, which fires every second across a {@code kill -9} of
 * the server with no fire time duplicated or skipped, re-registering changes nothing, and removing
 * the deployment deletes it; the declared rate becomes a rule that holds the service to its rate.
 */
@Timeout(240)
class DeclaredSchedulesIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @Service
  public static class Ticker {
    static final AtomicInteger EXECUTIONS = new AtomicInteger();

    @Handler
    @Schedule(cron = "* * * * * *", catchUp = ScheduleDefinition.CatchUp.ALL, body = "\"tick\"")
    public String tick(Context ctx, String body) {
      EXECUTIONS.incrementAndGet();
      return body;
    }
  }

  @Service
  @RateLimit(perSecond = 5, burst = 1)
  public static class Throttled {
    static final ConcurrentLinkedQueue<Long> STARTS = new ConcurrentLinkedQueue<>();

    @Handler
    public void hit(Context ctx) {
      STARTS.add(System.nanoTime());
    }
  }

  ServerProcess server;
  ResoluteHttpServer endpoint;

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
    if (server != null) {
      server.close();
    }
  }

  void startEndpoint() {
    endpoint =
        ResoluteHttpServer.start(
            Endpoint.bind(new Ticker()).bind(new Throttled()).build(), "127.0.0.1", 0);
  }

  String deploymentUri() {
    return "http://127.0.0.1:" + endpoint.port();
  }

  @Test
  void restateServerAcceptsTheManifestWithTheExtensions() throws Exception {
    startEndpoint();
    HttpResponse<String> discover =
        Http.CLIENT.send(
            HttpRequest.newBuilder(URI.create(deploymentUri() + "/discover"))
                .header("accept", "application/vnd.restate.endpointmanifest.v4+json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(discover.body()).contains("x-resolute-schedules", "x-resolute-rate-limit");
    server = RestateServerProcess.create("declared-restate").start();
    String reg = server.registerDeployment(deploymentUri(), false);
    assertThat(reg).contains("Ticker", "Throttled");
    HttpResponse<String> services = admin("GET", "/services", null);
    assertThat(services.body()).contains("\"Ticker\"", "\"Throttled\"");
  }

  @Test
  void declaredScheduleFiresAcrossAKillAndIsNeverDuplicated() throws Exception {
    startEndpoint();
    server = ResoluteProcess.create("declared-schedules").args("--default-num-partitions", "4");
    server.start();
    String reg = server.registerDeployment(deploymentUri(), false);
    String deploymentId = JSON.readTree(reg).get("id").asText();
    String id = "sdk~Ticker~tick~0";
    JsonNode schedule = JSON.readTree(admin("GET", "/schedules/" + id, null).body());
    assertThat(schedule.get("cron").asText()).isEqualTo("* * * * * *");
    assertThat(schedule.get("catch_up").asText()).isEqualTo("all");
    assertThat(schedule.get("target").get("handler").asText()).isEqualTo("tick");
    String createdAt = schedule.get("created_at").asText();

    Wait.until("three firings", Duration.ofSeconds(30), () -> fireTimes(id).size() >= 3);
    // registering the same declarations again changes nothing: same schedule, no second one
    server.registerDeployment(deploymentUri(), false);
    assertThat(scheduleIds()).containsExactly(id);
    assertThat(
            JSON.readTree(admin("GET", "/schedules/" + id, null).body()).get("created_at").asText())
        .isEqualTo(createdAt);

    int before = fireTimes(id).size();
    server.kill9();
    Thread.sleep(2500); // firings due while the server is down are caught up (catch_up: all)
    server.start();
    Wait.until(
        "firings after the restart",
        Duration.ofSeconds(60),
        () -> fireTimes(id).size() >= before + 5);
    server.registerDeployment(deploymentUri(), false);
    assertThat(scheduleIds()).containsExactly(id);
    assertThat(
            JSON.readTree(admin("GET", "/schedules/" + id, null).body()).get("created_at").asText())
        .isEqualTo(createdAt);

    List<Long> fires = fireTimes(id);
    for (int i = 1; i < fires.size(); i++) {
      // one invocation per second from the first fire time on: no gap, no duplicate
      assertThat(fires.get(i) - fires.get(i - 1)).as("fire times %s", fires).isEqualTo(1000L);
    }
    Wait.until(
        "every firing executed",
        Duration.ofSeconds(30),
        () ->
            sql("select count(*) as n from sys_invocation where idempotency_key like 'schedule/"
                        + id
                        + "/%' and status <> 'completed'")
                    .get(0)
                    .get("n")
                    .asLong()
                == 0);
    assertThat(Ticker.EXECUTIONS.get()).isGreaterThanOrEqualTo(fires.size());

    // removing the deployment deletes its declared schedule
    assertThat(admin("DELETE", "/deployments/" + deploymentId + "?force=true", null).statusCode())
        .isEqualTo(202);
    assertThat(admin("GET", "/schedules/" + id, null).statusCode()).isEqualTo(404);
    assertThat(scheduleIds()).isEmpty();
  }

  @Test
  void declaredRateHoldsTheServiceToItsRate() throws Exception {
    startEndpoint();
    server = ResoluteProcess.create("declared-rate").args("--default-num-partitions", "4");
    server.start();
    server.registerDeployment(deploymentUri(), false);
    JsonNode rules = sql("select pattern, rate_per_second, burst, description from sys_rules");
    assertThat(rules).hasSize(1);
    assertThat(rules.get(0).get("pattern").asText()).isEqualTo("Throttled");
    assertThat(rules.get(0).get("rate_per_second").asDouble()).isEqualTo(5.0);
    assertThat(rules.get(0).get("burst").asInt()).isEqualTo(1);
    int version = sql("select version from sys_rules").get(0).get("version").asInt();
    server.registerDeployment(deploymentUri(), false);
    assertThat(sql("select version from sys_rules").get(0).get("version").asInt())
        .as("re-registering the same rate leaves the rule alone")
        .isEqualTo(version);

    Throttled.STARTS.clear();
    int n = 16;
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r =
          Http.CLIENT.send(
              HttpRequest.newBuilder(URI.create(server.ingressUrl() + "/Throttled/hit/send"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }
    Wait.until("every send ran", Duration.ofSeconds(30), () -> Throttled.STARTS.size() >= n);
    List<Long> starts = new ArrayList<>(Throttled.STARTS);
    starts.sort(null);
    double seconds = (starts.get(n - 1) - starts.get(0)) / 1e9;
    // a bucket of 1 at 5/s: 15 intervals of 200 ms at least, were the sends all at once
    assertThat(seconds).as("%d starts over %.2f s", n, seconds).isGreaterThan(15 / 5.0 * 0.9);
    assertThat(Throttled.STARTS).hasSize(n);
    // the sends took the service's implicit scope, with the handler as limit key
    JsonNode scopes =
        sql(
            "select distinct scope, limit_key from sys_invocation"
                + " where target_service_name = 'Throttled'");
    assertThat(scopes.toString()).isEqualTo("[{\"scope\":\"Throttled\",\"limit_key\":\"hit\"}]");
  }

  List<Long> fireTimes(String id) throws Exception {
    List<Long> out = new ArrayList<>();
    for (JsonNode row :
        sql(
            "select idempotency_key from sys_invocation where idempotency_key like 'schedule/"
                + id
                + "/%'")) {
      String key = row.get("idempotency_key").asText();
      out.add(Long.parseLong(key.substring(key.lastIndexOf('/') + 1)));
    }
    out.sort(null);
    return out;
  }

  List<String> scheduleIds() throws Exception {
    List<String> ids = new ArrayList<>();
    for (JsonNode s : JSON.readTree(admin("GET", "/schedules", null).body()).get("schedules")) {
      ids.add(s.get("id").asText());
    }
    return ids;
  }

  JsonNode sql(String query) throws Exception {
    HttpResponse<String> r =
        Http.CLIENT.send(
            HttpRequest.newBuilder(URI.create(server.adminUrl() + "/query"))
                .header("content-type", "application/json")
                .header("accept", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(Map.of("query", query))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("rows");
  }

  HttpResponse<String> admin(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.adminUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("content-type", "application/json");
    }
    return Http.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
