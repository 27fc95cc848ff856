package dev.resolute.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.limits.RuleBook.Precondition;
import dev.resolute.server.limits.RuleBook.Upsert;
import dev.resolute.server.storage.MemoryStore;
import dev.resolute.server.storage.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Admission} over a store: a small harness plays the state machine's part (invocations that
 * wait, start and complete), every decision read back from the limit tables.
 */
class AdmissionTest {

  /** The state machine's side: which ids wait at which seq, which started. */
  private static final class Harness implements Admission.Starter {
    final Store store = new MemoryStore();
    final Store.Batch txn = store.begin();
    final Admission admission = new Admission(0);
    final LimitTables t = admission.tables(txn);
    final Map<String, Long> waiting = new HashMap<>();
    final Map<String, String[]> scopes = new HashMap<>();
    final Set<String> running = new HashSet<>();
    final List<String> started = new ArrayList<>();
    Optional<Admission.Wake> lastWake = Optional.empty();

    Harness(RuleBook book) {
      admission.putBook(t, book);
    }

    /** A new invocation arrives at {@code now}. */
    void arrive(String id, String scope, String key, long now) {
      scopes.put(id, new String[] {scope, key});
      if (admission.tryAcquire(t, scope, key, now)) {
        start(bytes(id));
      } else {
        waiting.put(id, admission.enqueue(t, bytes(id), scope, key, now));
        lastWake = admission.admit(t, now, this);
      }
    }

    void complete(String id, long now) {
      String[] s = scopes.get(id);
      if (running.remove(id)) {
        admission.release(t, s[0], s[1]);
      } else {
        admission.dequeue(t, s[0], s[1], waiting.remove(id));
      }
      lastWake = admission.admit(t, now, this);
    }

    void tick(long now) {
      admission.woke(t, now);
      lastWake = admission.admit(t, now, this);
    }

    @Override
    public boolean queued(byte[] id, long seq) {
      Long s = waiting.get(str(id));
      return s != null && s == seq;
    }

    @Override
    public void start(byte[] id) {
      String s = str(id);
      waiting.remove(s);
      running.add(s);
      started.add(s);
    }

    private static byte[] bytes(String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  private static RuleBook book(String pattern, Limits limits) throws Exception {
    return RuleBook.EMPTY
        .upsert(
            List.of(
                new Upsert(
                    RulePattern.parse(pattern), limits, null, false, new Precondition.None())),
            0)
        .book();
  }

  @Test
  void concurrencyLimitHoldsAndACompletionStartsTheNext() throws Exception {
    Harness h = new Harness(book("s", new Limits(2, null, null)));
    for (int i = 0; i < 5; i++) {
      h.arrive("i" + i, "s", "", 0);
    }
    assertThat(h.started).containsExactly("i0", "i1");
    assertThat(h.t.running(new LimitScope(List.of("s")))).isEqualTo(2);
    h.complete("i1", 1);
    assertThat(h.started).containsExactly("i0", "i1", "i2");
    assertThat(h.waiting).hasSize(2);
    assertThat(h.lastWake).isEmpty(); // held back by concurrency: a completion wakes it
  }

  @Test
  void keysAreServedInTurn() throws Exception {
    Harness h = new Harness(book("s", new Limits(1, null, null)));
    h.arrive("a0", "s", "a", 0);
    h.arrive("a1", "s", "a", 0);
    h.arrive("a2", "s", "a", 0);
    h.arrive("b0", "s", "b", 0);
    for (int t = 1; t <= 3; t++) {
      h.complete(h.started.get(h.started.size() - 1), t);
    }
    // b's only invocation does not wait behind all of a's backlog
    assertThat(h.started).containsExactly("a0", "a1", "b0", "a2");
  }

  @Test
  void aCancelledWaiterLeavesTheQueue() throws Exception {
    Harness h = new Harness(book("s", new Limits(1, null, null)));
    h.arrive("x", "s", "", 0);
    h.arrive("y", "s", "", 0);
    h.arrive("z", "s", "", 0);
    h.complete("y", 1); // cancelled while waiting
    h.complete("x", 2);
    assertThat(h.started).containsExactly("x", "z");
    List<String> left = new ArrayList<>();
    h.t.scanQueue(q -> left.add(q.group()));
    assertThat(left).isEmpty();
    assertThat(h.t.ring()).isEmpty();
  }

  @Test
  void rateLimitStartsTheBurstThenOnePerIntervalAndArmsWakeUps() throws Exception {
    Harness h = new Harness(book("s", new Limits(null, 10.0, 2)));
    for (int i = 0; i < 100; i++) {
      h.arrive("i" + i, "s", "", 0);
    }
    assertThat(h.started).hasSize(2);
    assertThat(h.t.meta("wake")).isEqualTo(100L);
    // follow the wake-ups the way the timers would fire them
    long now = 0;
    while (true) {
      long armed = h.t.meta("wake");
      assertThat(armed).isGreaterThan(now);
      if (armed > 5_000) {
        break;
      }
      now = armed;
      h.tick(now);
    }
    // burst 2 + 10/s over 5 s
    assertThat(h.started).hasSize(52);
  }

  @Test
  void waitersStayInStoreAcrossANewAdmissionInstance() throws Exception {
    Harness h = new Harness(book("s", new Limits(1, null, null)));
    h.arrive("a", "s", "", 0);
    h.arrive("b", "s", "", 0);
    // a restarted node: a fresh Admission over the same tables decides the same
    Admission fresh = new Admission(0);
    h.running.remove("a");
    fresh.release(fresh.tables(h.txn), "s", "");
    fresh.admit(fresh.tables(h.txn), 1, h);
    assertThat(h.started).containsExactly("a", "b");
  }

  @Test
  void rateHoldsOverAnyWindow() {
    Limits limits = new Limits(null, 7.0, 3);
    TokenBucket bucket = TokenBucket.FULL;
    List<Long> starts = new ArrayList<>();
    long now = 0;
    while (starts.size() < 200) {
      long at = bucket.nextStartMillis(limits, now);
      bucket = bucket.take(limits, at);
      starts.add(at);
      now = at;
    }
    for (int i = 0; i + 9 < starts.size(); i++) {
      // 10 starts need (10 - burst) intervals: 7 / 7 per s = 1 s
      assertThat(starts.get(i + 9) - starts.get(i)).isGreaterThanOrEqualTo(1000);
    }
  }

  /**
   * A saturated bucket of burst 1 whose waiting invocations each start a little after their token
   * fell due (the wake-up's delay) still holds the limit over the long run: the lateness is not
   * added to every interval. A start later than one interval, or one that did not wait, is charged
   * at its own time.
   */
  @Test
  void wakeUpLatenessDoesNotLowerTheHeldRate() {
    Limits limits = new Limits(null, 50.0, 1); // T = 20 ms
    TokenBucket bucket = TokenBucket.FULL.take(limits, 0);
    long last = 0;
    for (int i = 1; i <= 500; i++) {
      long due = bucket.nextStartMillis(limits, 0);
      long at = due + 3 + (i % 5); // 3..7 ms late
      bucket = bucket.take(limits, at, 0);
      last = at;
    }
    // 500 intervals of 20 ms after the first start, not 500 x (20 + lateness)
    assertThat(last).isBetween(10_000L, 10_007L);
    assertThat(bucket.theoreticalArrivalMillis()).isEqualTo(10_020.0);

    // without the waiting time (as before a waiting start was known) the lateness accumulates
    TokenBucket plain = TokenBucket.FULL.take(limits, 0);
    long plainLast = 0;
    for (int i = 1; i <= 500; i++) {
      long at = plain.nextStartMillis(limits, 0) + 3 + (i % 5);
      plain = plain.take(limits, at);
      plainLast = at;
    }
    assertThat(plainLast).isGreaterThan(12_000L);

    // a start more than one interval late (the node was down) is charged at its own time
    TokenBucket late = TokenBucket.FULL.take(limits, 0).take(limits, 5_000, 0);
    assertThat(late.theoreticalArrivalMillis()).isEqualTo(5_020.0);
    // and one that queued after its token fell due, too
    TokenBucket queuedLate = TokenBucket.FULL.take(limits, 0).take(limits, 25, 22);
    assertThat(queuedLate.theoreticalArrivalMillis()).isEqualTo(45.0);
  }

  @Test
  void unruledCountersDoNotLimitButCount() throws Exception {
    Harness h = new Harness(RuleBook.EMPTY);
    for (int i = 0; i < 10; i++) {
      h.arrive("i" + i, "s", "k/x", 0);
    }
    assertThat(h.started).hasSize(10);
    assertThat(h.t.running(new LimitScope(List.of("s", "k", "x")))).isEqualTo(10);
  }
}
