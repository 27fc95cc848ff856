package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.testsupport.Wait;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cron schedules end to end on a real server process and a real deployment (the official Java SDK's
 * {@code Greeter/record}, which marks every execution): the admin API's answers and errors, a
 * schedule firing every second that keeps firing across a SIGKILL of the server, with every missed
 * firing caught up ({@code catch_up: all}) and none duplicated, and DELETE stopping it.
 */
@Timeout(240)
class SchedulesIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static Harness h;

  @BeforeAll
  static void start() throws Exception {
    h = Harness.resolute("schedules");
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  static HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return Harness.send(h.admin, method, path, body);
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  static JsonNode sql(String query) throws Exception {
    HttpResponse<String> r =
        Harness.send(
            h.admin,
            "POST",
            "/query",
            JSON.writeValueAsString(Map.of("query", query)),
            "accept",
            "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).get("rows");
  }

  /** The fire times of the invocations the schedule {@code id} created, from sys_invocation. */
  static List<Long> fireTimes(String id) throws Exception {
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

  @Test
  void badRequestsAreRefusedWithAMessage() throws Exception {
    record Case(String body, int status, String message) {}
    for (Case c :
        List.of(
            new Case("{\"cron\":\"61 * * * *\",\"target\":\"Greeter/greet\"}", 400, "cron"),
            new Case("{\"cron\":\"* * *\",\"target\":\"Greeter/greet\"}", 400, "5 or 6 fields"),
            new Case(
                "{\"cron\":\"* * * * *\",\"timezone\":\"Mars/Olympus\",\"target\":\"Greeter/greet\"}",
                400,
                "time zone"),
            new Case("{\"cron\":\"* * * * *\",\"target\":\"Nope/greet\"}", 400, "'Nope' not found"),
            new Case("{\"cron\":\"* * * * *\",\"target\":\"Greeter/nope\"}", 400, "not found"),
            new Case("{\"cron\":\"* * * * *\",\"target\":\"Counter/add\"}", 400, "needs a key"),
            new Case("{\"cron\":\"* * * * *\",\"target\":\"Greeter/greet/k\"}", 400, "not keyed"),
            new Case(
                "{\"cron\":\"* * * * *\",\"target\":\"Greeter/greet\",\"catch_up\":\"some\"}",
                400,
                "catch_up"),
            new Case(
                "{\"id\":\"a b\",\"cron\":\"* * * * *\",\"target\":\"Greeter/greet\"}",
                400,
                "schedule id"),
            new Case("{\"target\":\"Greeter/greet\"}", 400, "'cron' is required"),
            new Case("not json", 400, "not JSON"))) {
      HttpResponse<String> r = admin("POST", "/schedules", c.body());
      assertThat(r.statusCode()).as(c.body() + " → " + r.body()).isEqualTo(c.status());
      assertThat(json(r).get("message").asText()).as(c.body()).contains(c.message());
    }
    HttpResponse<String> missing = admin("GET", "/schedules/none-such", null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).get("message").asText()).contains("none-such");
    assertThat(admin("DELETE", "/schedules/none-such", null).statusCode()).isEqualTo(404);
    // a keyed target as an object and as a string (the key is the rest, '/' and all), a raw body
    HttpResponse<String> obj =
        admin(
            "POST",
            "/schedules",
            "{\"id\":\"yearly\",\"cron\":\"0 0 1 1 *\",\"timezone\":\"Europe/Paris\","
                + "\"target\":{\"service\":\"Counter\",\"handler\":\"add\",\"key\":\"k/1\"},"
                + "\"body_base64\":\"MQ==\",\"content_type\":\"application/json\","
                + "\"catch_up\":\"last\"}");
    assertThat(obj.statusCode()).as(obj.body()).isEqualTo(201);
    JsonNode view = json(admin("GET", "/schedules/yearly", null));
    assertThat(view.get("target").toString())
        .isEqualTo("{\"service\":\"Counter\",\"handler\":\"add\",\"key\":\"k/1\"}");
    assertThat(view.get("body").asLong()).isEqualTo(1);
    assertThat(view.get("timezone").asText()).isEqualTo("Europe/Paris");
    assertThat(view.get("catch_up").asText()).isEqualTo("last");
    // the next 1 January, midnight in Paris
    assertThat(view.get("next_fire").asText()).endsWith("-12-31T23:00:00Z");
    assertThat(view.get("last_fire").isNull()).isTrue();
    HttpResponse<String> str =
        admin(
            "POST",
            "/schedules",
            "{\"cron\":\"0 0 1 1 *\",\"target\":\"Counter/add/k/1\",\"body_base64\":\"AAE=\"}");
    assertThat(str.statusCode()).as(str.body()).isEqualTo(201);
    JsonNode generated = json(str);
    assertThat(generated.get("id").asText()).startsWith("sch_");
    assertThat(generated.get("target").get("key").asText()).isEqualTo("k/1");
    assertThat(generated.get("body_base64").asText()).isEqualTo("AAE=");
    JsonNode rows =
        sql(
            "select id, target, catch_up from sys_schedule where id in ('yearly', '"
                + generated.get("id").asText()
                + "') order by catch_up");
    assertThat(rows.toString())
        .isEqualTo(
            "[{\"id\":\"yearly\",\"target\":\"Counter/add/k/1\",\"catch_up\":\"last\"},"
                + "{\"id\":\""
                + generated.get("id").asText()
                + "\",\"target\":\"Counter/add/k/1\",\"catch_up\":\"none\"}]");
    assertThat(admin("DELETE", "/schedules/yearly", null).statusCode()).isEqualTo(202);
    assertThat(admin("DELETE", "/schedules/" + generated.get("id").asText(), null).statusCode())
        .isEqualTo(202);
    assertThat(sql("select id from sys_schedule where id = 'yearly'")).isEmpty();
    // the OpenAPI document lists the extension
    JsonNode doc = json(admin("GET", "/openapi", null));
    assertThat(doc.at("/paths/~1schedules/post/operationId").asText()).isEqualTo("create_schedule");
    assertThat(doc.at("/paths/~1schedules~1{id}/delete/operationId").asText())
        .isEqualTo("delete_schedule");
  }

  @Test
  void aScheduleFiresEverySecondAcrossACrashWithoutDuplicatesOrGapsUntilDeleted() throws Exception {
    HttpResponse<String> created =
        admin(
            "POST",
            "/schedules",
            "{\"id\":\"tick\",\"cron\":\"* * * * * *\",\"target\":\"Greeter/record\","
                + "\"body\":\"tick\",\"catch_up\":\"all\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("location")).contains("schedules/tick");
    JsonNode s = json(created);
    assertThat(s.get("cron").asText()).isEqualTo("* * * * * *");
    assertThat(s.get("timezone").asText()).isEqualTo("UTC");
    assertThat(s.get("catch_up").asText()).isEqualTo("all");
    assertThat(s.get("body").asText()).isEqualTo("tick");
    long createdAt = Instant.parse(s.get("created_at").asText()).toEpochMilli();
    long firstFire = Instant.parse(s.get("next_fire").asText()).toEpochMilli();
    assertThat(firstFire).isGreaterThan(createdAt).isLessThanOrEqualTo(createdAt + 1000);
    // the same id again
    HttpResponse<String> dup =
        admin(
            "POST",
            "/schedules",
            "{\"id\":\"tick\",\"cron\":\"0 * * * *\",\"target\":\"Greeter/greet\"}");
    assertThat(dup.statusCode()).isEqualTo(409);
    assertThat(json(dup).get("message").asText()).contains("already exists");
    assertThat(json(admin("GET", "/schedules", null)).get("schedules").findValuesAsText("id"))
        .contains("tick");

    Wait.until("three firings executed", Duration.ofSeconds(30), () -> h.marks("record-tick") >= 3);

    h.restartServer(); // SIGKILL while the schedule fires every second, start on the same data

    long restartedAt = System.currentTimeMillis();
    Wait.until(
        "firings after the restart",
        Duration.ofSeconds(60),
        () -> {
          List<Long> t = fireTimes("tick");
          return !t.isEmpty() && t.get(t.size() - 1) >= restartedAt + 2000;
        });
    HttpResponse<String> deleted = admin("DELETE", "/schedules/tick", null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
    assertThat(admin("GET", "/schedules/tick", null).statusCode()).isEqualTo(404);

    List<Long> fires = fireTimes("tick");
    // nothing is invoked after the deletion (a window in which nothing may happen, so a sleep)
    Thread.sleep(2500);
    assertThat(fireTimes("tick")).isEqualTo(fires);

    // none skipped, none twice: one invocation per second from the first fire time on, across
    // the seconds the server was down (caught up at the restart)
    assertThat(fires.get(0)).isEqualTo(firstFire);
    assertThat(new TreeSet<>(fires)).hasSameSizeAs(fires);
    for (int i = 1; i < fires.size(); i++) {
      assertThat(fires.get(i) - fires.get(i - 1)).as("gap before firing " + i).isEqualTo(1000);
    }
    assertThat(fires.get(fires.size() - 1)).isGreaterThan(restartedAt);
    // every one of them ran at the deployment: a ctx.run interrupted by the crash may run once
    // more (at-least-once side effects), never a firing twice
    Wait.until(
        "every firing completed",
        Duration.ofSeconds(60),
        () ->
            sql("select count(*) as n from sys_invocation where idempotency_key like"
                        + " 'schedule/tick/%' and status = 'completed'")
                    .get(0)
                    .get("n")
                    .asLong()
                == fires.size());
    assertThat(h.marks("record-tick")).isBetween((long) fires.size(), (long) fires.size() + 1);
  }
}
