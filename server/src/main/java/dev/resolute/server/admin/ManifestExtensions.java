package dev.resolute.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.protocol.manifest.EndpointManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a manifest declares in Resolute's extension entries of the services' and handlers' {@code
 * metadata} (manifest V2 and later): {@code x-resolute-rate-limit} on a service or a handler, JSON
 * text {@code {"rate_per_second": 5.0, "burst": 5}}, and {@code x-resolute-schedules} on a handler,
 * JSON text {@code [{"name", "cron", "timezone"?, "key"?, "body"?, "catch_up"?}]}. They travel in
 * {@code metadata} because restate-server 1.7.12 refuses a manifest with a field it does not know
 * ({@code unknown field `x-resolute-rate-limit`, expected one of …}) and accepts any metadata; the
 * schema registry keeps them like any metadata. A manifest without them declares nothing.
 *
 * @param rates every declared rate, service-level ones with a null handler
 * @param schedules every declared schedule
 */
public record ManifestExtensions(List<Rate> rates, List<Schedule> schedules) {
  public static final String RATE_LIMIT_KEY = "x-resolute-rate-limit";
  public static final String SCHEDULES_KEY = "x-resolute-schedules";
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

  /** The declarations of {@code manifest}. */
  public static ManifestExtensions of(EndpointManifest manifest) throws InvalidException {
    List<Rate> rates = new ArrayList<>();
    List<Schedule> schedules = new ArrayList<>();
    for (EndpointManifest.Service s : manifest.services()) {
      rate(s.metadata(), s.name(), null).ifPresent(rates::add);
      for (EndpointManifest.Handler h : s.handlers()) {
        rate(h.metadata(), s.name(), h.name()).ifPresent(rates::add);
        JsonNode arr = entry(h.metadata(), SCHEDULES_KEY, s.name(), h.name());
        if (arr == null) {
          continue;
        }
        String service = s.name();
        String handler = h.name();
        if (!arr.isArray()) {
          throw invalid(service, handler, SCHEDULES_KEY, "expected an array");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
          JsonNode o = arr.get(i);
          if (!o.isObject()) {
            throw invalid(service, handler, SCHEDULES_KEY, "expected objects");
          }
          String name = text(o, "name", Integer.toString(i));
          if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw invalid(service, handler, SCHEDULES_KEY, "bad name '" + name + "'");
          }
          if (names.contains(name)) {
            throw invalid(service, handler, SCHEDULES_KEY, "name '" + name + "' used twice");
          }
          names.add(name);
          String cron = text(o, "cron", null);
          if (cron == null || cron.isBlank()) {
            throw invalid(service, handler, SCHEDULES_KEY, "a schedule needs a cron");
          }
          String catchUp = text(o, "catch_up", "none").toLowerCase(Locale.ROOT);
          if (!List.of("none", "last", "all").contains(catchUp)) {
            throw invalid(service, handler, SCHEDULES_KEY, "bad catch_up '" + catchUp + "'");
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

  /** The JSON value of a metadata entry, or null when absent. */
  private static JsonNode entry(
      Map<String, String> metadata, String key, String service, String handler)
      throws InvalidException {
    String text = metadata == null ? null : metadata.get(key);
    if (text == null) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw invalid(service, handler, key, "not JSON: " + e.getMessage().split("\n")[0]);
    }
  }

  private static java.util.Optional<Rate> rate(
      Map<String, String> metadata, String service, String handler) throws InvalidException {
    JsonNode r = entry(metadata, RATE_LIMIT_KEY, service, handler);
    if (r == null) {
      return java.util.Optional.empty();
    }
    JsonNode rate = r.get("rate_per_second");
    if (!r.isObject() || rate == null || !rate.isNumber() || !(rate.asDouble() > 0)) {
      throw invalid(service, handler, RATE_LIMIT_KEY, "rate_per_second must be a number > 0");
    }
    JsonNode burst = r.get("burst");
    if (burst != null && !burst.isNull() && (!burst.canConvertToInt() || burst.asInt() < 1)) {
      throw invalid(service, handler, RATE_LIMIT_KEY, "burst must be an integer >= 1");
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
