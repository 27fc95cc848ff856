package dev.resolute.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.limits.RuleBook.Precondition;
import dev.resolute.server.limits.RuleBook.Upsert;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimiterTest {

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
  void concurrencyLimitHoldsAndReleaseAdmitsTheNext() throws Exception {
    Limiter<Integer> limiter = new Limiter<>(book("s", new Limits(2, null, null)));
    for (int i = 0; i < 5; i++) {
      limiter.enqueue(i, "s", "");
    }
    assertThat(limiter.admit(0)).containsExactly(0, 1);
    assertThat(limiter.admit(0)).isEmpty();
    limiter.release(1);
    assertThat(limiter.admit(1)).containsExactly(2);
    assertThat(limiter.waitingCount()).isEqualTo(2);
    assertThat(limiter.running(new LimitScope(List.of("s")))).isEqualTo(2);
  }

  @Test
  void keysAreServedInTurn() throws Exception {
    Limiter<String> limiter = new Limiter<>(book("s", new Limits(1, null, null)));
    for (int i = 0; i < 3; i++) {
      limiter.enqueue("a" + i, "s", "a");
    }
    limiter.enqueue("b0", "s", "b");
    List<String> order = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      List<String> started = limiter.admit(t);
      assertThat(started).hasSize(1);
      order.addAll(started);
      limiter.release(started.get(0));
    }
    // b's only invocation does not wait behind all of a's backlog
    assertThat(order).containsExactly("a0", "b0", "a1", "a2");
  }

  @Test
  void rateLimitStartsBurstThenOnePerInterval() throws Exception {
    Limiter<Integer> limiter = new Limiter<>(book("s", new Limits(null, 10.0, 2)));
    for (int i = 0; i < 100; i++) {
      limiter.enqueue(i, "s", "");
    }
    int started = 0;
    for (long now = 0; now <= 5_000; now++) {
      List<Integer> ids = limiter.admit(now);
      started += ids.size();
      ids.forEach(limiter::release);
    }
    // burst 2 + 10/s over 5 s
    assertThat(started).isEqualTo(52);
    assertThat(limiter.nextWakeMillis(5_000)).isPresent();
  }

  @Test
  void rateHoldsOverAnyWindow() throws Exception {
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

  @Test
  void disabledOrAbsentRulesDoNotLimit() throws Exception {
    Limiter<Integer> limiter = new Limiter<>(RuleBook.EMPTY);
    for (int i = 0; i < 10; i++) {
      limiter.enqueue(i, "s", "k/x");
    }
    assertThat(limiter.admit(0)).hasSize(10);
  }
}
