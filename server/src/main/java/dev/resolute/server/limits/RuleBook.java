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

  public static final RuleBook EMPTY = new RuleBook(new TreeMap<>(), 0);

  private final TreeMap<String, Rule> rules;
  private final int version;

  private RuleBook(TreeMap<String, Rule> rules, int version) {
    this.rules = rules;
    this.version = version;
  }

  /** A book as stored: its rules and its version. */
  public static RuleBook of(Collection<Rule> rules, int version) {
    TreeMap<String, Rule> m = new TreeMap<>();
    rules.forEach(r -> m.put(r.pattern().toString(), r));
    return new RuleBook(m, version);
  }

  /**
   * The book's version: bumped once by every batch that changes it (a rule's description too). A
   * rule's {@link Rule#version} is the book version of the batch that last changed it in a way the
   * runtime sees (limits, disabled), as restate-server numbers them.
   */
  public int version() {
    return version;
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
    int nextVersion = version + 1;
    boolean changed = false;
    for (Upsert u : batch) {
      String key = u.pattern().toString();
      Rule current = next.get(key);
      checkPrecondition(key, current, u.precondition());
      if (current == null && next.size() >= MAX_RULES) {
        throw new RejectedException("rule book is full (" + MAX_RULES + " rules)", false);
      }
      Rule rule;
      if (current == null) {
        rule =
            new Rule(
                u.pattern(), u.limits(), u.description(), u.disabled(), nextVersion, nowMillis);
      } else {
        boolean runtimeChange =
            !current.limits().equals(u.limits()) || current.disabled() != u.disabled();
        rule =
            runtimeChange
                ? new Rule(
                    u.pattern(), u.limits(), u.description(), u.disabled(), nextVersion, nowMillis)
                : new Rule(
                    u.pattern(),
                    u.limits(),
                    u.description(),
                    u.disabled(),
                    current.version(),
                    current.lastModifiedMillis());
      }
      changed |= !rule.equals(current);
      next.put(key, rule);
    }
    // every entry answers with its rule as the whole batch left it (restate-server's answer)
    List<Rule> out = new ArrayList<>(batch.size());
    for (Upsert u : batch) {
      out.add(next.get(u.pattern().toString()));
    }
    return new UpsertResult(changed ? new RuleBook(next, nextVersion) : this, List.copyOf(out));
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
    return new DeleteResult(
        removed.isEmpty() ? this : new RuleBook(next, version + 1), List.copyOf(removed));
  }

  private static void checkPrecondition(String key, Rule current, Precondition precondition)
      throws RejectedException {
    boolean ok;
    if (precondition instanceof Precondition.Matches m) {
      ok = current != null && current.version() == m.version();
    } else if (precondition instanceof Precondition.DoesNotExist) {
      ok = current == null;
    } else {
      ok = true;
    }
    if (!ok) {
      String expected =
          precondition instanceof Precondition.Matches m
              ? "Matches(v" + m.version() + ")"
              : "DoesNotExist";
      // restate-server 1.7.12's words (a Rust Debug of the precondition and the current version)
      throw new RejectedException(
          "rule precondition "
              + expected
              + " for pattern "
              + key
              + " failed (actual version: "
              + (current == null ? "None" : "Some(v" + current.version() + ")")
              + ")",
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
