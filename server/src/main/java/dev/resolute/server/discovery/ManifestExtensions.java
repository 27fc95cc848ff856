package dev.resolute.server.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a manifest declares in Resolute's extension fields, which restate-server ignores: {@code
 * x-resolute-rate-limit} on a service or a handler ({@code {"rate_per_second": 5.0, "burst": 5}})
 * and {@code x-resolute-schedules} on a handler ({@code [{"name", "cron", "timezone"?, "key"?,
 * "body"?, "catch_up"?}]}). Read from the raw discovery body, beside the manifest model, so the
 * model and the schema registry stay restate's. A manifest without them declares nothing.
 *
 * @param rates every declared rate, service-level ones with a null handler
 * @param schedules every declared schedule
 */
public record ManifestExtensions(List<Rate> rates, List<Schedule> schedules) {
  public static final String RATE_LIMIT_FIELD = "x-resolute-rate-limit";
  public static final String SCHEDULES_FIELD = "x-resolute-schedules";
  public static final ManifestExtensions NONE = new ManifestExtensions(List.of(), List.of());

  private static final ObjectMapper JSON = new ObjectMapper();

  public ManifestExtensions {
    rates = List.copyOf(rates);
    schedules = List.copyOf(schedules);
  }

  /** A token-bucket rate of a service ({@code handler} null) or one handler. */
  public record Rate(String service, String handler, double perSecond, Integer burst) {}

  /** A cron schedule of a handler; {@code catchUp} is {@code none}, {@code last} or {@code all}. */
  public record Schedule(
      String service,
      String handler,
      String name,
      String cron,
      String timezone,
      String key,
      String body,
      String catchUp) {}

  /** Thrown for an extension field of the wrong shape; the registration fails with its message. */
  public static final class InvalidException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidException(String message) {
      super(message);
    }
  }

  public boolean isEmpty() {
    return rates.isEmpty() && schedules.isEmpty();
  }

  /** The declarations of {@code manifestBody} (already a valid manifest). */
  public static ManifestExtensions parse(String manifestBody) throws InvalidException {
    if (!manifestBody.contains("x-resolute-")) {
      return NONE; // keeps the common case to one scan
    }
    JsonNode root;
    try {
      root = JSON.readTree(manifestBody);
    } catch (Exception e) {
      return NONE; // the manifest parser has already judged the body
    }
    List<Rate> rates = new ArrayList<>();
    List<Schedule> schedules = new ArrayList<>();
    for (JsonNode s : root.path("services")) {
      String service = s.path("name").asText();
      rate(s, service, null).ifPresent(rates::add);
      for (JsonNode h : s.path("handlers")) {
        String handler = h.path("name").asText();
        rate(h, service, handler).ifPresent(rates::add);
        JsonNode arr = h.get(SCHEDULES_FIELD);
        if (arr == null || arr.isNull()) {
          continue;
        }
        if (!arr.isArray()) {
          throw invalid(service, handler, SCHEDULES_FIELD, "expected an array");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
          JsonNode o = arr.get(i);
          if (!o.isObject()) {
            throw invalid(service, handler, SCHEDULES_FIELD, "expected objects");
          }
          String name = text(o, "name", Integer.toString(i));
          if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw invalid(service, handler, SCHEDULES_FIELD, "bad name '" + name + "'");
          }
          if (names.contains(name)) {
            throw invalid(service, handler, SCHEDULES_FIELD, "name '" + name + "' used twice");
          }
          names.add(name);
          String cron = text(o, "cron", null);
          if (cron == null || cron.isBlank()) {
            throw invalid(service, handler, SCHEDULES_FIELD, "a schedule needs a cron");
          }
          String catchUp = text(o, "catch_up", "none").toLowerCase(Locale.ROOT);
          if (!List.of("none", "last", "all").contains(catchUp)) {
            throw invalid(service, handler, SCHEDULES_FIELD, "bad catch_up '" + catchUp + "'");
          }
          schedules.add(
              new Schedule(
                  service,
                  handler,
                  name,
                  cron,
                  text(o, "timezone", null),
                  text(o, "key", null),
                  text(o, "body", null),
                  catchUp));
        }
      }
    }
    return new ManifestExtensions(rates, schedules);
  }

  private static java.util.Optional<Rate> rate(JsonNode node, String service, String handler)
      throws InvalidException {
    JsonNode r = node.get(RATE_LIMIT_FIELD);
    if (r == null || r.isNull()) {
      return java.util.Optional.empty();
    }
    JsonNode rate = r.get("rate_per_second");
    if (!r.isObject() || rate == null || !rate.isNumber() || !(rate.asDouble() > 0)) {
      throw invalid(service, handler, RATE_LIMIT_FIELD, "rate_per_second must be a number > 0");
    }
    JsonNode burst = r.get("burst");
    if (burst != null && !burst.isNull() && (!burst.canConvertToInt() || burst.asInt() < 1)) {
      throw invalid(service, handler, RATE_LIMIT_FIELD, "burst must be an integer >= 1");
    }
    return java.util.Optional.of(
        new Rate(
            service,
            handler,
            rate.asDouble(),
            burst == null || burst.isNull() ? null : burst.asInt()));
  }

  private static String text(JsonNode o, String field, String dflt) throws InvalidException {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isTextual()) {
      throw new InvalidException(field + " must be a string");
    }
    return v.asText();
  }

  private static InvalidException invalid(
      String service, String handler, String field, String what) {
    return new InvalidException(
        field + " of " + service + (handler == null ? "" : "/" + handler) + ": " + what);
  }
}
