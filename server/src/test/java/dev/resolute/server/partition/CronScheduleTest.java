package dev.resolute.server.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resolute.server.partition.CronSchedule.CatchUp;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

  private static long at(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void fiveFieldExpressionFiresOnTheMinute() {
    CronSchedule every5 = CronSchedule.parse("*/5 * * * *", "UTC");
    assertEquals(at("2026-01-01T10:05:00Z"), every5.nextFireAfter(at("2026-01-01T10:00:00Z")));
    assertEquals(at("2026-01-01T10:05:00Z"), every5.nextFireAfter(at("2026-01-01T10:03:17Z")));
  }

  @Test
  void sixFieldExpressionHasSecondsFirst() {
    CronSchedule everySecond = CronSchedule.parse("* * * * * *", null);
    assertEquals(at("2026-01-01T10:00:01Z"), everySecond.nextFireAfter(at("2026-01-01T10:00:00Z")));
    // fire times are whole seconds, whatever the milliseconds of the time after which they are
    assertEquals(
        at("2026-01-01T10:00:01Z"), everySecond.nextFireAfter(at("2026-01-01T10:00:00.400Z")));
    CronSchedule at30 = CronSchedule.parse("30 0 12 * * *", "UTC");
    assertEquals(at("2026-01-01T12:00:30Z"), at30.nextFireAfter(at("2026-01-01T11:00:00Z")));
  }

  @Test
  void timeZoneShiftsTheFireTime() {
    CronSchedule nineParis = CronSchedule.parse("0 9 * * *", "Europe/Paris");
    // winter: Paris is UTC+1
    assertEquals(at("2026-01-05T08:00:00Z"), nineParis.nextFireAfter(at("2026-01-05T00:00:00Z")));
    // summer: UTC+2
    assertEquals(at("2026-07-06T07:00:00Z"), nineParis.nextFireAfter(at("2026-07-06T00:00:00Z")));
    assertEquals(ZoneId.of("Europe/Paris"), nineParis.zone());
  }

  @Test
  void nextFireIsAPureFunctionOfItsInputs() {
    long after = at("2026-03-01T00:00:00Z");
    CronSchedule a = CronSchedule.parse("0 */2 * * * *", "UTC");
    CronSchedule b = CronSchedule.parse("0 */2 * * * *", "UTC");
    assertEquals(a.nextFireAfter(after), b.nextFireAfter(after));
    assertEquals(a.nextFireAfter(after), a.nextFireAfter(after));
  }

  @Test
  void invalidInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("* * *", "UTC"));
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("61 * * * *", "UTC"));
    assertThrows(
        IllegalArgumentException.class, () -> CronSchedule.parse("* * * * *", "Mars/Base"));
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(" ", "UTC"));
    assertThrows(IllegalArgumentException.class, () -> CatchUp.parse("some"));
    assertEquals(CatchUp.ALL, CatchUp.parse("All"));
  }

  @Test
  void onTimeFiringFiresOnceUnderEveryPolicy() {
    CronSchedule everySecond = CronSchedule.parse("* * * * * *", "UTC");
    long due = at("2026-01-01T10:00:05Z");
    for (CatchUp policy : CatchUp.values()) {
      assertEquals(List.of(due), everySecond.firingsDue(due, due + 3, policy), policy.name());
    }
  }

  @Test
  void catchUpAfterAGap() {
    CronSchedule everySecond = CronSchedule.parse("* * * * * *", "UTC");
    long due = at("2026-01-01T10:00:05Z");
    long now = due + 4_500; // down for 4.5 s: due, +1, +2, +3, +4 were missed
    assertEquals(
        List.of(due, due + 1000, due + 2000, due + 3000, due + 4000),
        everySecond.firingsDue(due, now, CatchUp.ALL));
    assertEquals(List.of(due + 4000), everySecond.firingsDue(due, now, CatchUp.LAST));
    // within the grace window, NONE still fires the latest
    assertEquals(List.of(due + 4000), everySecond.firingsDue(due, now, CatchUp.NONE));

    CronSchedule hourly = CronSchedule.parse("0 * * * *", "UTC");
    long hour = at("2026-01-01T10:00:00Z");
    long later = at("2026-01-01T13:30:00Z"); // 10:00, 11:00, 12:00, 13:00 missed
    assertEquals(List.of(), hourly.firingsDue(hour, later, CatchUp.NONE));
    assertEquals(List.of(at("2026-01-01T13:00:00Z")), hourly.firingsDue(hour, later, CatchUp.LAST));
    assertEquals(4, hourly.firingsDue(hour, later, CatchUp.ALL).size());
    assertEquals(at("2026-01-01T14:00:00Z"), hourly.nextFireAfter(later));
  }

  @Test
  void catchUpAllIsBounded() {
    CronSchedule everySecond = CronSchedule.parse("* * * * * *", "UTC");
    long due = at("2026-01-01T00:00:00Z");
    List<Long> firings = everySecond.firingsDue(due, due + 86_400_000L, CatchUp.ALL);
    assertEquals(CronSchedule.MAX_FIRINGS_PER_APPLY, firings.size());
    assertEquals(due, firings.get(0));
  }

  @Test
  void theNextTimerFollowsTheLastFiringTaken() {
    CronSchedule everySecond = CronSchedule.parse("* * * * * *", "UTC");
    long due = at("2026-01-01T00:00:00Z");
    // on time: the next timer is the next second
    assertEquals(due + 1000, everySecond.due(due, due + 3, CatchUp.ALL).next());
    // a day missed under ALL: one apply takes 1000, the next timer is the 1001st (already due), so
    // the rest follow in later applies and none is skipped
    CronSchedule.Due all = everySecond.due(due, due + 86_400_000L, CatchUp.ALL);
    assertEquals(due + 1_000_000L, all.next());
    assertEquals(0, all.skipped());
    // under LAST the latest of the whole day fires once, found without walking it
    CronSchedule.Due last = everySecond.due(due, due + 86_400_500L, CatchUp.LAST);
    assertEquals(List.of(due + 86_400_000L), last.fires());
    assertEquals(due + 86_401_000L, last.next());
    assertTrue(last.skipped() >= CronSchedule.MAX_FIRINGS_PER_APPLY);
    // under NONE the latest is on time (half a second ago), so it fires
    CronSchedule.Due onTime = everySecond.due(due, due + 86_400_500L, CatchUp.NONE);
    assertEquals(List.of(due + 86_400_000L), onTime.fires());
    // every five minutes, four days missed (more than one walk takes), the latest two minutes
    // ago: under NONE nothing fires and the next timer is in the future
    CronSchedule every5 = CronSchedule.parse("0 */5 * * * *", "UTC");
    long now = due + 4 * 86_400_000L + 120_000;
    CronSchedule.Due none = every5.due(due, now, CatchUp.NONE);
    assertEquals(List.of(), none.fires());
    assertEquals(due + 4 * 86_400_000L + 300_000, none.next());
    assertTrue(none.skipped() > CronSchedule.MAX_FIRINGS_PER_APPLY);
  }

  @Test
  void skippedCountsWhatThePolicyDropped() {
    CronSchedule hourly = CronSchedule.parse("0 * * * *", "UTC");
    long hour = at("2026-01-01T10:00:00Z");
    long later = at("2026-01-01T13:30:00Z");
    assertEquals(4, hourly.due(hour, later, CatchUp.NONE).skipped());
    assertEquals(3, hourly.due(hour, later, CatchUp.LAST).skipped());
    assertEquals(0, hourly.due(hour, later, CatchUp.ALL).skipped());
    assertEquals(at("2026-01-01T14:00:00Z"), hourly.due(hour, later, CatchUp.LAST).next());
  }

  @Test
  void anEarlyTimerFiresNothingAndIsArmedAgain() {
    CronSchedule everySecond = CronSchedule.parse("* * * * * *", "UTC");
    long due = at("2026-01-01T00:00:00Z");
    CronSchedule.Due early = everySecond.due(due, due - 5, CatchUp.ALL);
    assertEquals(List.of(), early.fires());
    assertEquals(due, early.next());
  }

  @Test
  void idempotencyKeyIsDeterministic() {
    long fire = ZonedDateTime.parse("2026-01-01T10:00:00Z").toInstant().toEpochMilli();
    assertEquals(
        CronSchedule.idempotencyKey("sch_1", fire), CronSchedule.idempotencyKey("sch_1", fire));
    assertEquals("schedule/sch_1/" + fire, CronSchedule.idempotencyKey("sch_1", fire));
  }
}
