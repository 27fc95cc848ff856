package dev.resolute.sdk.endpoint.definition;

import java.util.Objects;

/**
 * A cron schedule a handler declares (Resolute's extension, ignored by restate-server): each firing
 * invokes the handler with {@link #body()}. The Resolute server creates the schedule when the
 * deployment is registered, updates it when a later registration changes it, and deletes it when
 * the handler stops declaring it or the deployment is removed; re-registering the same declaration
 * changes nothing. A virtual-object or workflow handler needs a {@link #key(String)}.
 *
 * <p>{@code ScheduleDefinition.cron("0 0 9 * * MON-FRI").timeZone("Europe/Paris").body("\"hi\"")}.
 *
 * @param name distinguishes the schedules of one handler (default: its position, {@code "0"}, …);
 *     the server's schedule id is derived from service, handler and name
 * @param cron 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first
 * @param timeZone a zone id such as {@code Europe/Paris}; {@code null} is UTC
 * @param body the input as JSON text (sent as {@code application/json}); {@code null}: no input
 * @param key the virtual-object key or workflow id to invoke; {@code null} for a plain service
 * @param catchUp which firings missed while the server was down still run
 */
public record ScheduleDefinition(
    String name, String cron, String timeZone, String body, String key, CatchUp catchUp) {

  /** Firings missed while the server was down: none, only the latest, or every one. */
  public enum CatchUp {
    NONE,
    LAST,
    ALL
  }

  public ScheduleDefinition {
    Objects.requireNonNull(cron, "cron");
    if (cron.isBlank()) {
      throw new IllegalArgumentException("a schedule needs a cron expression");
    }
    if (name != null && !name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "schedule name '" + name + "': expected 1 to 64 of [A-Za-z0-9._-]");
    }
    catchUp = catchUp == null ? CatchUp.NONE : catchUp;
  }

  /** A schedule firing on {@code cron} in UTC, with no input and no catch-up. */
  public static ScheduleDefinition cron(String cron) {
    return new ScheduleDefinition(null, cron, null, null, null, CatchUp.NONE);
  }

  public ScheduleDefinition name(String name) {
    return new ScheduleDefinition(name, cron, timeZone, body, key, catchUp);
  }

  public ScheduleDefinition timeZone(String timeZone) {
    return new ScheduleDefinition(name, cron, timeZone, body, key, catchUp);
  }

  public ScheduleDefinition body(String json) {
    return new ScheduleDefinition(name, cron, timeZone, json, key, catchUp);
  }

  public ScheduleDefinition key(String key) {
    return new ScheduleDefinition(name, cron, timeZone, body, key, catchUp);
  }

  public ScheduleDefinition catchUp(CatchUp catchUp) {
    return new ScheduleDefinition(name, cron, timeZone, body, key, catchUp);
  }
}
