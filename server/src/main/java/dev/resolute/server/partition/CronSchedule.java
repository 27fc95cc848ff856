package dev.resolute.server.partition;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed cron schedule: the next-fire computation of a schedule, a pure function of (expression,
 * zone, last fire time), so the partition state machine can apply it deterministically (no wall
 * clock is read here: every instant comes from the caller, in the apply from the record's time).
 *
 * <p>Accepts the standard 5-field syntax (minute hour day-of-month month day-of-week) and the
 * 6-field syntax with seconds first (second minute hour day-of-month month day-of-week).
 */
public final class CronSchedule {

  /** What to do with firings missed while the node was down. */
  public enum CatchUp {
    /** Missed firings are dropped; only a firing due within the grace window still fires. */
    NONE,
    /** Of the missed firings, only the latest fires. */
    LAST,
    /** Every missed firing fires, oldest first. */
    ALL;

    /** Parses {@code none}, {@code last} or {@code all} (any case). */
    public static CatchUp parse(String text) {
      return switch (text.toLowerCase(java.util.Locale.ROOT)) {
        case "none" -> NONE;
        case "last" -> LAST;
        case "all" -> ALL;
        default ->
            throw new IllegalArgumentException(
                "catch_up must be one of none, last, all; got " + text);
      };
    }
  }

  /**
   * A firing due at {@code fireMillis} counts as on time while the apply's time is at most this
   * much later; keeps a timer that fires a little late (a slow apply, a GC pause) from being
   * dropped under {@link CatchUp#NONE}.
   */
  public static final long ON_TIME_GRACE_MILLIS = 60_000;

  /** Keeps a long outage under {@link CatchUp#ALL} from appending an unbounded batch at once. */
  public static final int MAX_FIRINGS_PER_APPLY = 1_000;

  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser WITH_SECONDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime executionTime;

  private CronSchedule(String expression, ZoneId zone, Cron cron) {
    this.expression = expression;
    this.zone = zone;
    this.executionTime = ExecutionTime.forCron(cron);
  }

  /**
   * Parses a 5- or 6-field cron expression in a time zone ({@code null} or blank: UTC).
   *
   * @throws IllegalArgumentException if the expression or the zone is invalid
   */
  public static CronSchedule parse(String expression, String zone) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("cron expression is required");
    }
    String trimmed = expression.trim();
    int fields = trimmed.split("\\s+").length;
    CronParser parser =
        switch (fields) {
          case 5 -> UNIX;
          case 6 -> WITH_SECONDS;
          default ->
              throw new IllegalArgumentException(
                  "cron expression must have 5 or 6 fields, got " + fields + ": " + trimmed);
        };
    ZoneId zoneId;
    try {
      zoneId = zone == null || zone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(zone.trim());
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("invalid time zone: " + zone, e);
    }
    Cron cron;
    try {
      cron = parser.parse(trimmed);
      cron.validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid cron expression " + trimmed + ": " + e.getMessage(), e);
    }
    return new CronSchedule(trimmed, zoneId, cron);
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /**
   * The first fire time strictly after {@code afterMillis} (epoch milliseconds), or -1 if the
   * expression never fires again.
   */
  public long nextFireAfter(long afterMillis) {
    // fire times are whole seconds; cron-utils would carry the milliseconds of its argument over
    ZonedDateTime after =
        Instant.ofEpochMilli(afterMillis).truncatedTo(ChronoUnit.SECONDS).atZone(zone);
    Optional<ZonedDateTime> next = executionTime.nextExecution(after);
    return next.map(t -> t.toInstant().toEpochMilli()).orElse(-1L);
  }

  /**
   * What the timer armed for {@code dueMillis} does when it fires at the apply's time {@code
   * nowMillis}.
   *
   * @param fires the fire times to invoke, oldest first, chosen by the catch-up policy
   * @param skipped how many missed fire times the policy dropped
   * @param next the fire time to arm the next timer for (-1: never again); at or before {@code
   *     nowMillis} only when {@link CatchUp#ALL} has more missed firings than one apply takes
   */
  public record Due(List<Long> fires, long skipped, long next) {}

  /**
   * The firings due when the timer armed for {@code dueMillis} fires at {@code nowMillis}: the fire
   * times in [dueMillis, nowMillis] chosen by the catch-up policy, and the next timer. A pure
   * function of its arguments. A timer that fires early ({@code nowMillis < dueMillis}: another
   * node's clock) fires nothing and is armed again for the same time.
   */
  public Due due(long dueMillis, long nowMillis, CatchUp catchUp) {
    if (dueMillis < 0 || nowMillis < dueMillis) {
      return new Due(List.of(), 0, dueMillis);
    }
    List<Long> missed = new ArrayList<>();
    long t = dueMillis;
    while (t >= 0 && t <= nowMillis && missed.size() < MAX_FIRINGS_PER_APPLY) {
      missed.add(t);
      t = nextFireAfter(t);
    }
    // t is the first fire time not taken: after nowMillis, -1, or (cut off) a missed one
    boolean cutOff = t >= 0 && t <= nowMillis;
    if (catchUp == CatchUp.ALL) {
      return new Due(missed, 0, t);
    }
    long latest = missed.get(missed.size() - 1);
    long skipped = missed.size() - 1;
    long next = t;
    if (cutOff) {
      // more missed than one walk takes: the latest is found backwards from now (the skipped
      // count is then a lower bound: the fire times between the walk and the latest are not
      // counted)
      long back = lastFireAtOrBefore(nowMillis);
      if (back > latest) {
        latest = back;
        skipped = missed.size();
      }
      next = nextFireAfter(nowMillis);
    }
    boolean fire = catchUp == CatchUp.LAST || nowMillis - latest <= ON_TIME_GRACE_MILLIS;
    return new Due(fire ? List.of(latest) : List.of(), fire ? skipped : skipped + 1, next);
  }

  /** The latest fire time at or before {@code millis}, or -1 if there is none. */
  long lastFireAtOrBefore(long millis) {
    ZonedDateTime before =
        Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).atZone(zone);
    return executionTime
        .lastExecution(before)
        .map(z -> z.toInstant().truncatedTo(ChronoUnit.SECONDS).toEpochMilli())
        .filter(v -> v <= millis)
        .orElse(-1L);
  }

  /** The fire times of {@link #due} (kept for callers that need no next timer). */
  public List<Long> firingsDue(long dueMillis, long nowMillis, CatchUp catchUp) {
    return due(dueMillis, nowMillis, catchUp).fires();
  }

  /**
   * The idempotency key of the firing of schedule {@code scheduleId} at {@code fireMillis}: the
   * same firing always gets the same key, so re-applying it after a crash cannot fire it twice.
   */
  public static String idempotencyKey(String scheduleId, long fireMillis) {
    return "schedule/" + scheduleId + "/" + fireMillis;
  }
}
