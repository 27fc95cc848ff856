package dev.resolute.server.admin;

import static dev.resolute.server.admin.AdminResponses.done;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.Failures;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.partition.CronSchedule;
import dev.resolute.server.partition.ScheduleDispatcher;
import dev.resolute.server.pb.Header;
import dev.resolute.server.pb.Schedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /schedules[/{id}]}: cron schedules, our extension beyond restate-server (see the server
 * README, "Schedules"). Creation answers 201 with the stored schedule and a {@code location},
 * deletion 202, both only once the record behind them is applied; errors carry restate's body shape
 * {@code {"message": …}}: 400 for a bad request, expression, zone or target, 404 for an unknown id,
 * 409 for an id in use.
 */
final class SchedulesResource {
  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final ScheduleDispatcher schedules;
  private final SecureRandom random;

  SchedulesResource(ScheduleDispatcher schedules, SecureRandom random) {
    this.schedules = schedules;
    this.random = random;
  }

  void addTo(RouteTable routes) {
    routes
        .on("GET", "/schedules", c -> done(list()))
        .on("POST", "/schedules", c -> create(c.request().body()))
        .on("GET", "/schedules/{id}", c -> done(get(c.param(0))))
        .on("DELETE", "/schedules/{id}", c -> delete(c.param(0)));
  }

  private HttpResponse list() {
    ObjectNode o = AdminViews.JSON.createObjectNode();
    var arr = o.putArray("schedules");
    for (Schedule s : schedules.list()) {
      arr.add(view(s));
    }
    return AdminResponses.json(200, o);
  }

  private HttpResponse get(String id) {
    return schedules
        .get(id)
        .map(s -> AdminResponses.json(200, view(s)))
        .orElseGet(() -> AdminResponses.error(404, "schedule '" + id + "' not found"));
  }

  private CompletableFuture<HttpResponse> delete(String id) {
    return schedules.delete(id).handle((v, err) -> err == null ? HttpResponse.of(202) : fail(err));
  }

  private CompletableFuture<HttpResponse> create(byte[] body) {
    ScheduleDispatcher.Spec spec;
    try {
      spec = spec(body);
    } catch (BadRequest e) {
      return done(AdminResponses.error(400, e.getMessage()));
    }
    try {
      return schedules
          .create(spec)
          .handle(
              (s, err) ->
                  err == null
                      ? AdminResponses.json(201, view(s))
                          .withHeader("location", "schedules/" + s.getId())
                      : fail(err));
    } catch (DispatchException e) {
      return done(fail(e));
    }
  }

  private static HttpResponse fail(Throwable err) {
    Throwable t = Failures.unwrap(err);
    if (t instanceof DispatchException d) {
      return AdminResponses.error(d.status(), d.getMessage());
    }
    return AdminResponses.error(500, String.valueOf(t.getMessage()));
  }

  /** A request body refused before it becomes a record. */
  private static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  private ScheduleDispatcher.Spec spec(byte[] raw) throws BadRequest {
    JsonNode b;
    try {
      b = AdminViews.JSON.readTree(raw);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BadRequest("the request body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRequest("the request body is not JSON: " + e.getMessage());
    }
    if (b == null || !b.isObject()) {
      throw new BadRequest("the request body must be a JSON object");
    }
    String id = text(b, "id");
    if (id == null) {
      id = generatedId();
    }
    String cron = text(b, "cron");
    if (cron == null) {
      throw new BadRequest("field 'cron' is required");
    }
    String service;
    String handler;
    String key;
    JsonNode target = b.get("target");
    if (target != null && target.isTextual()) {
      // service/handler, or service/handler/key (the key is the rest: it may hold '/')
      String[] parts = target.asText().split("/", 3);
      if (parts.length < 2) {
        throw new BadRequest(
            "field 'target' must be 'service/handler' or 'service/handler/key'; got "
                + target.asText());
      }
      service = parts[0];
      handler = parts[1];
      key = parts.length == 3 ? parts[2] : null;
    } else {
      JsonNode t = target != null && target.isObject() ? target : b;
      if (target != null && !target.isObject()) {
        throw new BadRequest("field 'target' must be a string or an object");
      }
      service = text(t, "service");
      handler = text(t, "handler");
      key = text(t, "key");
    }
    byte[] body = new byte[0];
    String contentType = text(b, "content_type");
    JsonNode json = b.get("body");
    String base64 = text(b, "body_base64");
    if (json != null && base64 != null) {
      throw new BadRequest("give either 'body' (JSON) or 'body_base64', not both");
    }
    if (json != null && !json.isNull()) {
      body = json.toString().getBytes(StandardCharsets.UTF_8);
      if (contentType == null) {
        contentType = "application/json";
      }
    } else if (base64 != null) {
      try {
        body = Base64.getDecoder().decode(base64);
      } catch (IllegalArgumentException e) {
        throw new BadRequest("field 'body_base64' is not base64: " + e.getMessage());
      }
    }
    CronSchedule.CatchUp catchUp = CronSchedule.CatchUp.NONE;
    String c = text(b, "catch_up");
    if (c != null) {
      try {
        catchUp = CronSchedule.CatchUp.parse(c);
      } catch (IllegalArgumentException e) {
        throw new BadRequest(e.getMessage());
      }
    }
    return new ScheduleDispatcher.Spec(
        id, cron, text(b, "timezone"), service, handler, key, body, contentType, catchUp);
  }

  /** A string field, null when absent or null; any other type is refused. */
  private static String text(JsonNode o, String field) throws BadRequest {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new BadRequest("field '" + field + "' must be a string");
    }
    return v.asText();
  }

  private String generatedId() {
    StringBuilder b = new StringBuilder("sch_");
    for (int i = 0; i < 20; i++) {
      b.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
    }
    return b.toString();
  }

  static ObjectNode view(Schedule s) {
    ObjectNode o = AdminViews.JSON.createObjectNode();
    o.put("id", s.getId());
    o.put("cron", s.getCron());
    o.put("timezone", s.getTimezone().isEmpty() ? "UTC" : s.getTimezone());
    ObjectNode t = o.putObject("target");
    t.put("service", s.getTarget().getService());
    t.put("handler", s.getTarget().getHandler());
    if (s.getTarget().getKeyed()) {
      t.put("key", s.getTarget().getKey());
    }
    o.put("catch_up", s.getCatchUp().name().toLowerCase(Locale.ROOT));
    String contentType = null;
    for (Header h : s.getHeadersList()) {
      if (h.getKey().equalsIgnoreCase("content-type")) {
        contentType = h.getValue();
      }
    }
    o.put("content_type", contentType);
    if (contentType != null && contentType.startsWith("application/json")) {
      try {
        o.set("body", AdminViews.JSON.readTree(s.getBody().toByteArray()));
      } catch (IOException e) {
        o.put("body_base64", Base64.getEncoder().encodeToString(s.getBody().toByteArray()));
      }
    } else {
      o.put("body_base64", Base64.getEncoder().encodeToString(s.getBody().toByteArray()));
    }
    o.put("created_at", Instant.ofEpochMilli(s.getCreatedAt()).toString());
    o.put(
        "next_fire", s.getNextFire() < 0 ? null : Instant.ofEpochMilli(s.getNextFire()).toString());
    o.put(
        "last_fire",
        s.getLastFire() == 0 ? null : Instant.ofEpochMilli(s.getLastFire()).toString());
    o.put("fired", s.getFired());
    o.put("skipped", s.getSkipped());
    return o;
  }
}
