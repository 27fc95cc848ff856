package dev.resolute.server.limits;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The set of rules, keyed by pattern text; immutable, every change returns a new book. Batches
 * apply all-or-nothing, as restate-server's {@code PUT /limits/rules} and {@code POST
 * /limits/rules/bulk-delete}: a failed precondition or the cap rejects the whole batch.
 */
public final class RuleBook {

  /** restate-server's cap on the number of rules in one book. */
  public static final int MAX_RULES = 10_000;

  public static final RuleBook EMPTY = new RuleBook(new TreeMap<>());

  private final TreeMap<String, Rule> rules;

  private RuleBook(TreeMap<String, Rule> rules) {
    this.rules = rules;
  }

  /** The rules ordered by pattern text (the order {@code restate rules list} shows). */
  public Collection<Rule> rules() {
    return Collections.unmodifiableCollection(rules.values());
  }

  public Optional<Rule> get(String pattern) {
    return Optional.ofNullable(rules.get(pattern));
  }

  /** An optimistic-concurrency guard: none, the rule must not exist, or must be at a version. */
  public sealed interface Precondition {
    record None() implements Precondition {}

    record DoesNotExist() implements Precondition {}

    record Matches(int version) implements Precondition {}
  }

  /** One entry of a {@code PUT /limits/rules} batch. */
  public record Upsert(
      RulePattern pattern,
      Limits limits,
      String description,
      boolean disabled,
      Precondition precondition) {}

  /** One entry of a {@code bulk-delete} batch; {@code expectedVersion} may be null. */
  public record Delete(RulePattern pattern, Integer expectedVersion) {}

  /** A batch that cannot apply: {@code conflict} maps to 409, otherwise 422. */
  public static final class RejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean conflict;

    RejectedException(String message, boolean conflict) {
      super(message);
      this.conflict = conflict;
    }

    public boolean conflict() {
      return conflict;
    }
  }

  /** The upserted rules (in batch order) and the book after the batch. */
  public record UpsertResult(RuleBook book, List<Rule> rules) {}

  public UpsertResult upsert(List<Upsert> batch, long nowMillis) throws RejectedException {
    TreeMap<String, Rule> next = new TreeMap<>(rules);
    List<Rule> out = new ArrayList<>(batch.size());
    for (Upsert u : batch) {
      String key = u.pattern().toString();
      Rule current = next.get(key);
      checkPrecondition(key, current, u.precondition());
      if (current == null && next.size() >= MAX_RULES) {
        throw new RejectedException("rule book is full (" + MAX_RULES + " rules)", false);
      }
      Rule rule;
      if (current == null) {
        rule = new Rule(u.pattern(), u.limits(), u.description(), u.disabled(), 1, nowMillis);
      } else {
        boolean runtimeChange =
            !current.limits().equals(u.limits()) || current.disabled() != u.disabled();
        rule =
            new Rule(
                u.pattern(),
                u.limits(),
                u.description(),
                u.disabled(),
                runtimeChange ? current.version() + 1 : current.version(),
                nowMillis);
      }
      next.put(key, rule);
      out.add(rule);
    }
    return new UpsertResult(new RuleBook(next), List.copyOf(out));
  }

  /** The removed patterns (absent ones without an expected version are skipped). */
  public record DeleteResult(RuleBook book, List<String> removed) {}

  public DeleteResult delete(List<Delete> batch) throws RejectedException {
    TreeMap<String, Rule> next = new TreeMap<>(rules);
    List<String> removed = new ArrayList<>();
    for (Delete d : batch) {
      String key = d.pattern().toString();
      Rule current = next.get(key);
      if (d.expectedVersion() != null) {
        checkPrecondition(key, current, new Precondition.Matches(d.expectedVersion()));
      }
      if (next.remove(key) != null) {
        removed.add(key);
      }
    }
    return new DeleteResult(new RuleBook(next), List.copyOf(removed));
  }

  private static void checkPrecondition(String key, Rule current, Precondition precondition)
      throws RejectedException {
    if (precondition instanceof Precondition.DoesNotExist && current != null) {
      throw new RejectedException("precondition failed: rule '" + key + "' exists", true);
    }
    if (precondition instanceof Precondition.Matches m
        && (current == null || current.version() != m.version())) {
      throw new RejectedException(
          "precondition failed: rule '"
              + key
              + "' is "
              + (current == null ? "absent" : "at version " + current.version())
              + ", expected version "
              + m.version(),
          true);
    }
  }

  /**
   * The enabled rule that governs {@code counter}: among those of the same depth that match, the
   * one with the highest {@link RulePattern#rank}; empty when none does (unlimited).
   */
  public Optional<Rule> resolve(LimitScope counter) {
    Rule best = null;
    int bestRank = -1;
    for (Rule rule : rules.values()) {
      if (rule.disabled()) {
        continue;
      }
      Optional<Integer> rank = rule.pattern().rank(counter);
      if (rank.isPresent() && rank.get() > bestRank) {
        best = rule;
        bestRank = rank.get();
      }
    }
    return Optional.ofNullable(best);
  }
}
