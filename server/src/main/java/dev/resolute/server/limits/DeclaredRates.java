package dev.resolute.server.limits;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The rates services declare in their manifests ({@code x-resolute-rate-limit}), as rules of the
 * book, and the implicit scope that makes them apply.
 *
 * <p>A rate declared by service {@code S} is the rule {@code S} (whole service) or {@code S/h} (one
 * handler), with the description {@link #DESCRIPTION_PREFIX}{@code S}. An invocation of a service
 * that declares a rate and that arrives without a scope (ingress, Kafka) gets the <em>implicit
 * scope</em> {@code S} with the limit key {@code h}, so it counts against both rules; a plain
 * service's invocations then share the scope's partition, which keeps the count exact. An explicit
 * scope wins: the caller chose the counters.
 *
 * <p>The index is a cache of the book (partition 0's), refreshed at start and after every change
 * the registration hook makes; a declared rule deleted by hand leaves the scope in place until the
 * next refresh, which only counts against an ungoverned counter.
 */
public final class DeclaredRates {
  /** Marks a rule as declared by a manifest (and so owned by the registration hook). */
  public static final String DESCRIPTION_PREFIX = "declared in the manifest of ";

  /** The scope and limit key an unscoped invocation takes. */
  public record Implicit(String scope, String limitKey) {}

  private volatile Set<String> services = Set.of();

  /** Rebuilds the index from {@code book}. */
  public void refresh(RuleBook book) {
    Set<String> s = new HashSet<>();
    for (Rule r : book.rules()) {
      if (isDeclared(r)) {
        s.add(r.pattern().components().get(0));
      }
    }
    services = Set.copyOf(s);
  }

  public static boolean isDeclared(Rule r) {
    return r.description() != null && r.description().startsWith(DESCRIPTION_PREFIX);
  }

  /** The rule pattern of a rate of {@code service} ({@code handler} null: the whole service). */
  public static RulePattern pattern(String service, String handler) {
    return new RulePattern(handler == null ? List.of(service) : List.of(service, handler));
  }

  /**
   * The implicit scope of an unscoped invocation of {@code service}/{@code handler}, when the
   * service declares a rate.
   */
  public Optional<Implicit> implicitScope(String service, String handler) {
    if (!services.contains(service)) {
      return Optional.empty();
    }
    return Optional.of(new Implicit(service, RulePattern.isValue(handler) ? handler : null));
  }
}
