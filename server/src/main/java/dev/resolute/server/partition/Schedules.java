package dev.resolute.server.partition;

import static dev.resolute.server.partition.Apply.raw;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.id.DeterministicIds;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.pb.CreateSchedule;
import dev.resolute.server.pb.DeleteSchedule;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.Invoke;
import dev.resolute.server.pb.Schedule;
import dev.resolute.server.pb.Target;
import dev.resolute.server.pb.Timer;

/**
 * Cron schedules in the partition state machine: creation, deletion and the firing of the
 * schedule's timer. A schedule lives on the partition of its id ({@code PartitionKeys.keyed(id)});
 * at any time it has at most one timer, armed for {@link Schedule#getNextFire()}.
 *
 * <p>Deterministic: every fire time derives from the expression and the record's time ({@link
 * Apply#now}), never from a clock. Exactly once: a firing is invoked in the same batch that moves
 * {@code next_fire} past it (so a replayed or re-applied record cannot invoke it again), as an
 * {@link Invoke} shipped through the outbox (deduplicated by sequence number on the target
 * partition) whose id and idempotency key derive from (schedule id, fire time) — a firing that
 * reaches the target twice is the same invocation.
 */
final class Schedules {
  private Schedules() {}

  static void onCreate(Apply cx, CreateSchedule c) {
    Schedule s = c.getSchedule();
    if (cx.t.schedule(s.getId()) != null) {
      cx.refuse(c.getIngressRequest(), 409, "schedule '" + s.getId() + "' already exists");
      return;
    }
    CronSchedule cron;
    try {
      cron = CronSchedule.parse(s.getCron(), s.getTimezone());
    } catch (IllegalArgumentException e) {
      cx.refuse(c.getIngressRequest(), 400, e.getMessage()); // checked by the admin API already
      return;
    }
    Schedule.Builder b =
        s.toBuilder().setCreatedAt(cx.now).setLastFire(0).setFired(0).setSkipped(0).clearTimerKey();
    arm(cx, b, cron.nextFireAfter(cx.now));
    cx.t.putSchedule(b.build());
    cx.reply(c.getIngressRequest(), Answer.Done.INSTANCE);
  }

  static void onDelete(Apply cx, DeleteSchedule d) {
    Schedule s = cx.t.schedule(d.getId());
    if (s == null) {
      cx.refuse(d.getIngressRequest(), 404, "schedule '" + d.getId() + "' not found");
      return;
    }
    if (!s.getTimerKey().isEmpty()) {
      // a timer the leader already armed in memory fires into an absent row: ignored
      cx.t.deleteTimer(s.getTimerKey().toByteArray());
    }
    cx.t.deleteSchedule(s.getId());
    cx.reply(d.getIngressRequest(), Answer.Done.INSTANCE);
  }

  /** The schedule's timer fired (its row is already deleted): invoke what is due, arm the next. */
  static void onTimer(Apply cx, String id) {
    Schedule s = cx.t.schedule(id);
    if (s == null || s.getNextFire() < 0) {
      return;
    }
    CronSchedule cron = CronSchedule.parse(s.getCron(), s.getTimezone());
    CronSchedule.Due due = cron.due(s.getNextFire(), cx.now, catchUp(s.getCatchUp()));
    Schedule.Builder b = s.toBuilder();
    for (long fire : due.fires()) {
      fire(cx, s, fire);
      b.setLastFire(fire).setFired(b.getFired() + 1);
    }
    b.setSkipped(b.getSkipped() + due.skipped());
    arm(cx, b, due.next());
    cx.t.putSchedule(b.build());
  }

  /** Arms the timer for {@code next} (none when it is -1) and records it in {@code b}. */
  private static void arm(Apply cx, Schedule.Builder b, long next) {
    b.setNextFire(next).clearTimerKey();
    if (next >= 0) {
      b.setTimerKey(
          ByteString.copyFrom(cx.timer(next, Timer.newBuilder().setScheduleId(b.getId()).build())));
    }
  }

  /** Ships the invocation of the firing at {@code fire} to the partition of its target. */
  private static void fire(Apply cx, Schedule s, long fire) {
    String idempotencyKey = CronSchedule.idempotencyKey(s.getId(), fire);
    Target target = s.getTarget();
    InvocationId id =
        DeterministicIds.idempotent(
            target.getService(),
            target.getKeyed() ? target.getKey() : null,
            target.getHandler(),
            idempotencyKey);
    cx.ship(
        id,
        Envelope.newBuilder()
            .setInvoke(
                Invoke.newBuilder()
                    .setInvocationId(raw(id))
                    .setTarget(target)
                    .setInput(s.getBody())
                    .addAllHeaders(s.getHeadersList())
                    .setIdempotencyKey(idempotencyKey)
                    .setCompletionRetentionMillis(s.getCompletionRetentionMillis()))
            .build());
  }

  static CronSchedule.CatchUp catchUp(Schedule.CatchUp c) {
    return switch (c) {
      case LAST -> CronSchedule.CatchUp.LAST;
      case ALL -> CronSchedule.CatchUp.ALL;
      default -> CronSchedule.CatchUp.NONE;
    };
  }
}
