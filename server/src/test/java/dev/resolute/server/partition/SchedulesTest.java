package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.id.DeterministicIds;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.pb.CreateSchedule;
import dev.resolute.server.pb.DeleteSchedule;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.Invoke;
import dev.resolute.server.pb.Schedule;
import dev.resolute.server.pb.Target;
import dev.resolute.server.pb.TimerFired;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cron schedules in the state machine: creation, firing with catch-up, deletion, determinism. */
class SchedulesTest {
  final StateMachineTest sm = new StateMachineTest();

  static final Target TARGET = StateMachineTest.SERVICE;

  static long at(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  static Envelope.Builder create(String id, String cron, Schedule.CatchUp catchUp, long request) {
    return Envelope.newBuilder()
        .setCreateSchedule(
            CreateSchedule.newBuilder()
                .setIngressRequest(request)
                .setSchedule(
                    Schedule.newBuilder()
                        .setId(id)
                        .setCron(cron)
                        .setTimezone("UTC")
                        .setTarget(TARGET)
                        .setBody(ByteString.copyFromUtf8("\"tick\""))
                        .setCatchUp(catchUp)
                        .setCompletionRetentionMillis(86_400_000L)));
  }

  static Envelope.Builder delete(String id, long request) {
    return Envelope.newBuilder()
        .setDeleteSchedule(DeleteSchedule.newBuilder().setId(id).setIngressRequest(request));
  }

  Schedule stored(String id) {
    return new Tables(0).on(sm.store.reader()).schedule(id);
  }

  /** Fires the schedule's armed timer at {@code now}; returns the effects. */
  List<Effect> fire(String id, long now) {
    sm.now = now;
    return sm.apply(
        Envelope.newBuilder()
            .setTimerFired(TimerFired.newBuilder().setTimerKey(stored(id).getTimerKey())));
  }

  static List<Invoke> invokes(List<Effect> effects) {
    return effects.stream()
        .filter(Effect.Ship.class::isInstance)
        .map(e -> ((Effect.Ship) e).envelope().getInvoke())
        .toList();
  }

  static List<Long> fireTimes(List<Effect> effects) {
    return invokes(effects).stream()
        .map(
            i ->
                Long.parseLong(
                    i.getIdempotencyKey().substring(i.getIdempotencyKey().lastIndexOf('/') + 1)))
        .toList();
  }

  static Answer reply(List<Effect> effects, long request) {
    return effects.stream()
        .filter(Effect.Reply.class::isInstance)
        .map(Effect.Reply.class::cast)
        .filter(x -> x.requestId() == request)
        .findFirst()
        .orElseThrow()
        .answer();
  }

  @Test
  void creationArmsATimerForTheFirstFireTimeAfterTheRecordTime() {
    sm.now = at("2026-01-01T10:00:00.400Z");
    List<Effect> e = sm.apply(create("s1", "* * * * * *", Schedule.CatchUp.NONE, 7));
    assertThat(reply(e, 7)).isInstanceOf(Answer.Done.class);
    Schedule s = stored("s1");
    assertThat(s.getCreatedAt()).isEqualTo(sm.now);
    assertThat(s.getNextFire()).isEqualTo(at("2026-01-01T10:00:01Z"));
    assertThat(s.getFired()).isZero();
    assertThat(e)
        .filteredOn(Effect.RegisterTimer.class::isInstance)
        .singleElement()
        .satisfies(t -> assertThat(((Effect.RegisterTimer) t).time()).isEqualTo(s.getNextFire()));
  }

  @Test
  void aDuplicateIdIsRefusedAndAnUnknownIdCannotBeDeleted() {
    sm.apply(create("s1", "* * * * * *", Schedule.CatchUp.NONE, 1));
    List<Effect> dup = sm.apply(create("s1", "0 * * * *", Schedule.CatchUp.ALL, 2));
    assertThat(refusal(dup, 2).status()).isEqualTo(409);
    assertThat(stored("s1").getCron()).isEqualTo("* * * * * *"); // unchanged
    assertThat(refusal(sm.apply(delete("nope", 3)), 3).status()).isEqualTo(404);
    assertThat(refusal(sm.apply(create("s2", "61 * * * *", Schedule.CatchUp.NONE, 4)), 4).status())
        .isEqualTo(400);
    assertThat(stored("s2")).isNull();
  }

  static DispatchException refusal(List<Effect> effects, long request) {
    return ((Answer.Refused) reply(effects, request)).error();
  }

  @Test
  void anOnTimeFiringInvokesOnceWithADeterministicIdAndArmsTheNextSecond() {
    sm.now = at("2026-01-01T10:00:00.400Z");
    sm.apply(create("s1", "* * * * * *", Schedule.CatchUp.NONE, 0));
    long due = at("2026-01-01T10:00:01Z");
    List<Effect> e = fire("s1", due + 3);
    List<Invoke> inv = invokes(e);
    assertThat(inv).hasSize(1);
    Invoke i = inv.get(0);
    assertThat(i.getIdempotencyKey()).isEqualTo("schedule/s1/" + due);
    assertThat(i.getTarget()).isEqualTo(TARGET);
    assertThat(i.getInput().toStringUtf8()).isEqualTo("\"tick\"");
    assertThat(InvocationId.fromBytes(i.getInvocationId().toByteArray()))
        .isEqualTo(
            DeterministicIds.idempotent(
                TARGET.getService(), null, TARGET.getHandler(), "schedule/s1/" + due));
    Schedule s = stored("s1");
    assertThat(s.getLastFire()).isEqualTo(due);
    assertThat(s.getFired()).isEqualTo(1);
    assertThat(s.getNextFire()).isEqualTo(due + 1000);
    assertThat(e)
        .filteredOn(Effect.RegisterTimer.class::isInstance)
        .singleElement()
        .satisfies(t -> assertThat(((Effect.RegisterTimer) t).time()).isEqualTo(due + 1000));
    // the timer row of the fired timer is gone, only the next one is stored
    assertThat(new Tables(0).on(sm.store.reader()).allTimers()).hasSize(1);
  }

  @Test
  void missedFiringsFollowTheCatchUpPolicy() {
    long created = at("2026-01-01T10:00:00.400Z");
    long due = at("2026-01-01T10:00:01Z");
    // down for 4.5 s after the first due time: 5 missed
    long late = due + 4_500;
    for (Schedule.CatchUp policy : Schedule.CatchUp.values()) {
      if (policy == Schedule.CatchUp.UNRECOGNIZED) {
        continue;
      }
      sm.now = created;
      String id = "s-" + policy;
      sm.apply(create(id, "* * * * * *", policy, 0));
      List<Long> fired = fireTimes(fire(id, late));
      Schedule s = stored(id);
      switch (policy) {
        case ALL -> {
          assertThat(fired).containsExactly(due, due + 1000, due + 2000, due + 3000, due + 4000);
          assertThat(s.getSkipped()).isZero();
        }
        case LAST -> {
          assertThat(fired).containsExactly(due + 4000);
          assertThat(s.getSkipped()).isEqualTo(4);
        }
        default -> {
          // NONE: the latest is within the grace window, so it still counts as on time
          assertThat(fired).containsExactly(due + 4000);
          assertThat(s.getSkipped()).isEqualTo(4);
        }
      }
      assertThat(s.getNextFire()).isEqualTo(due + 5000); // the next one after the apply's time
      assertThat(s.getLastFire()).isEqualTo(due + 4000);
    }
  }

  @Test
  void noneSkipsToTheNextFutureFiringAfterALongOutage() {
    sm.now = at("2026-01-01T09:59:00Z");
    sm.apply(create("hourly", "0 * * * *", Schedule.CatchUp.NONE, 0));
    assertThat(stored("hourly").getNextFire()).isEqualTo(at("2026-01-01T10:00:00Z"));
    List<Effect> e = fire("hourly", at("2026-01-01T13:30:00Z"));
    assertThat(invokes(e)).isEmpty();
    Schedule s = stored("hourly");
    assertThat(s.getSkipped()).isEqualTo(4);
    assertThat(s.getLastFire()).isZero();
    assertThat(s.getNextFire()).isEqualTo(at("2026-01-01T14:00:00Z"));
  }

  @Test
  void aLongOutageUnderAllFiresEveryMissedFiringOverSeveralApplies() {
    sm.now = at("2026-01-01T00:00:00Z") - 1;
    sm.apply(create("s", "* * * * * *", Schedule.CatchUp.ALL, 0));
    long first = at("2026-01-01T00:00:00Z");
    long now = first + 2_500_000; // 2501 firings missed
    List<Long> all = new java.util.ArrayList<>();
    for (int applies = 0; applies < 5; applies++) {
      all.addAll(fireTimes(fire("s", now)));
      if (stored("s").getNextFire() > now) {
        break;
      }
    }
    assertThat(all).hasSize(2501);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i)).isEqualTo(first + i * 1000L);
    }
    assertThat(stored("s").getNextFire()).isEqualTo(now + 1000);
  }

  @Test
  void anEarlyTimerFiresNothingAndIsArmedAgainForTheSameTime() {
    sm.now = at("2026-01-01T10:00:00.400Z");
    sm.apply(create("s1", "* * * * * *", Schedule.CatchUp.ALL, 0));
    long due = stored("s1").getNextFire();
    List<Effect> e = fire("s1", due - 10); // another node's clock behind
    assertThat(invokes(e)).isEmpty();
    assertThat(stored("s1").getNextFire()).isEqualTo(due);
    assertThat(fireTimes(fire("s1", due))).containsExactly(due);
  }

  @Test
  void deletionRemovesTheTimerAndAStaleTimerFiringDoesNothing() {
    sm.now = at("2026-01-01T10:00:00.400Z");
    sm.apply(create("s1", "* * * * * *", Schedule.CatchUp.ALL, 0));
    ByteString timer = stored("s1").getTimerKey();
    List<Effect> d = sm.apply(delete("s1", 5));
    assertThat(reply(d, 5)).isInstanceOf(Answer.Done.class);
    assertThat(stored("s1")).isNull();
    assertThat(new Tables(0).on(sm.store.reader()).allTimers()).isEmpty();
    // the leader had the timer armed in memory: its firing finds no row
    sm.now += 10_000;
    List<Effect> e =
        sm.apply(Envelope.newBuilder().setTimerFired(TimerFired.newBuilder().setTimerKey(timer)));
    assertThat(e).isEmpty();
    // the id can be used again
    sm.apply(create("s1", "0 * * * *", Schedule.CatchUp.NONE, 0));
    assertThat(stored("s1").getCron()).isEqualTo("0 * * * *");
  }

  @Test
  void aFiringDeliveredTwiceIsOneInvocation() {
    sm.now = at("2026-01-01T10:00:00.400Z");
    sm.apply(create("s1", "* * * * * *", Schedule.CatchUp.ALL, 0));
    Invoke i = invokes(fire("s1", at("2026-01-01T10:00:01Z"))).get(0);
    InvocationId id = InvocationId.fromBytes(i.getInvocationId().toByteArray());
    sm.apply(Envelope.newBuilder().setInvoke(i));
    int journal = new Tables(0).on(sm.store.reader()).status(id).getJournalLength();
    sm.apply(Envelope.newBuilder().setInvoke(i)); // e.g. the outbox re-shipped it
    Tables t = new Tables(0).on(sm.store.reader());
    assertThat(t.allStatuses()).hasSize(1);
    assertThat(t.status(id).getIdempotencyKey()).isEqualTo(i.getIdempotencyKey());
    assertThat(t.status(id).getJournalLength()).isEqualTo(journal);
  }

  @Test
  void applyIsDeterministic() {
    StateMachineTest other = new StateMachineTest();
    for (StateMachineTest m : List.of(sm, other)) {
      m.now = at("2026-01-01T10:00:00.400Z");
      m.apply(create("s1", "*/2 * * * * *", Schedule.CatchUp.ALL, 0));
    }
    List<List<Effect>> runs = new java.util.ArrayList<>();
    for (StateMachineTest m : List.of(sm, other)) {
      m.now = at("2026-01-01T10:00:09.700Z");
      Schedule s = new Tables(0).on(m.store.reader()).schedule("s1");
      runs.add(
          m.apply(
              Envelope.newBuilder()
                  .setTimerFired(TimerFired.newBuilder().setTimerKey(s.getTimerKey()))));
    }
    assertThat(invokes(runs.get(0))).isEqualTo(invokes(runs.get(1))).hasSize(4); // :02 … :08
    assertThat(new Tables(0).on(sm.store.reader()).schedule("s1"))
        .isEqualTo(new Tables(0).on(other.store.reader()).schedule("s1"));
  }
}
