package dev.resolute.server.limits;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Admission of invocations under a {@link RuleBook}: an invocation holds one slot in each of its
 * counters ({@link LimitScope#prefixes}) while running, and takes one token from each counter's
 * rate bucket when it starts. One that cannot start waits; waiting invocations are grouped by their
 * most specific counter (their limit key) and the groups are served round-robin, so a key with a
 * long backlog cannot starve another key of the same scope.
 *
 * <p>Deterministic: every decision depends only on the calls made and the record times passed in,
 * so replaying the same records rebuilds the same state (the durable queue itself is stored by the
 * caller; this class is its in-memory index). Not thread-safe: the partition's single thread owns
 * it.
 *
 * @param <I> the invocation id type
 */
public final class Limiter<I> {

  private record Waiting<I>(I id, List<LimitScope> counters) {}

  private RuleBook book;
  private final Map<LimitScope, Integer> running = new HashMap<>();
  private final Map<LimitScope, TokenBucket> buckets = new HashMap<>();
  private final Map<I, List<LimitScope>> held = new HashMap<>();
  private final LinkedHashMap<LimitScope, ArrayDeque<Waiting<I>>> waiting = new LinkedHashMap<>();

  public Limiter(RuleBook book) {
    this.book = book;
  }

  /** Replaces the rules; waiting invocations are re-examined by the next {@link #admit}. */
  public void rules(RuleBook book) {
    this.book = book;
  }

  /** Queues {@code id}; call {@link #admit} for the invocations that may start now. */
  public void enqueue(I id, String scope, String limitKey) {
    List<LimitScope> counters = LimitScope.prefixes(scope, limitKey);
    waiting
        .computeIfAbsent(counters.get(counters.size() - 1), k -> new ArrayDeque<>())
        .add(new Waiting<>(id, counters));
  }

  /** Frees the slots {@code id} held; call {@link #admit} afterwards. */
  public void release(I id) {
    List<LimitScope> counters = held.remove(id);
    if (counters == null) {
      return;
    }
    for (LimitScope c : counters) {
      running.computeIfPresent(c, (k, n) -> n == 1 ? null : n - 1);
    }
  }

  public int running(LimitScope counter) {
    return running.getOrDefault(counter, 0);
  }

  public int waitingCount() {
    int n = 0;
    for (ArrayDeque<Waiting<I>> q : waiting.values()) {
      n += q.size();
    }
    return n;
  }

  /**
   * Starts every waiting invocation that may start at {@code nowMillis}, serving the keys in turn,
   * and returns them in start order.
   */
  public List<I> admit(long nowMillis) {
    List<I> started = new ArrayList<>();
    boolean progress = true;
    while (progress && !waiting.isEmpty()) {
      progress = false;
      // a served key goes to the back of the rotation
      LinkedHashMap<LimitScope, ArrayDeque<Waiting<I>>> served = new LinkedHashMap<>();
      for (Iterator<Map.Entry<LimitScope, ArrayDeque<Waiting<I>>>> it =
              waiting.entrySet().iterator();
          it.hasNext(); ) {
        Map.Entry<LimitScope, ArrayDeque<Waiting<I>>> e = it.next();
        Waiting<I> head = e.getValue().peek();
        if (!mayStart(head.counters(), nowMillis)) {
          continue;
        }
        e.getValue().poll();
        start(head, nowMillis);
        started.add(head.id());
        progress = true;
        it.remove();
        if (!e.getValue().isEmpty()) {
          served.put(e.getKey(), e.getValue());
        }
      }
      waiting.putAll(served);
    }
    return started;
  }

  /** The earliest record time at which a waiting invocation held back only by a rate may start. */
  public Optional<Long> nextWakeMillis(long nowMillis) {
    Long best = null;
    for (ArrayDeque<Waiting<I>> q : waiting.values()) {
      Waiting<I> head = q.peek();
      long at = nowMillis;
      boolean blockedByConcurrency = false;
      for (LimitScope c : head.counters()) {
        Optional<Rule> rule = book.resolve(c);
        if (rule.isEmpty()) {
          continue;
        }
        Limits l = rule.get().limits();
        if (l.concurrency() != null && running(c) >= l.concurrency()) {
          blockedByConcurrency = true;
        }
        if (l.ratePerSecond() != null) {
          at =
              Math.max(at, buckets.getOrDefault(c, TokenBucket.FULL).nextStartMillis(l, nowMillis));
        }
      }
      if (!blockedByConcurrency && at > nowMillis && (best == null || at < best)) {
        best = at;
      }
    }
    return Optional.ofNullable(best);
  }

  private boolean mayStart(List<LimitScope> counters, long nowMillis) {
    for (LimitScope c : counters) {
      Optional<Rule> rule = book.resolve(c);
      if (rule.isEmpty()) {
        continue;
      }
      Limits l = rule.get().limits();
      if (l.concurrency() != null && running(c) >= l.concurrency()) {
        return false;
      }
      if (l.ratePerSecond() != null
          && !buckets.getOrDefault(c, TokenBucket.FULL).mayStart(l, nowMillis)) {
        return false;
      }
    }
    return true;
  }

  private void start(Waiting<I> w, long nowMillis) {
    for (LimitScope c : w.counters()) {
      running.merge(c, 1, Integer::sum);
      Optional<Rule> rule = book.resolve(c);
      if (rule.isPresent() && rule.get().limits().ratePerSecond() != null) {
        Limits l = rule.get().limits();
        buckets.put(c, buckets.getOrDefault(c, TokenBucket.FULL).take(l, nowMillis));
      }
    }
    held.put(w.id(), w.counters());
  }
}
