package dev.resolute.server.limits;

import java.util.List;

/**
 * One counter's key: the scope, then optionally level 1 and level 2 of the invocation's limit key.
 * An invocation with scope {@code s} and limit key {@code a/b} counts against three counters:
 * {@code s}, {@code s/a} and {@code s/a/b} (see {@link #prefixes}).
 */
public record LimitScope(List<String> components) {

  public LimitScope {
    components = List.copyOf(components);
    if (components.isEmpty() || components.size() > 3) {
      throw new IllegalArgumentException("a limit scope has 1 to 3 components");
    }
  }

  /** The counters an invocation of {@code scope} with {@code limitKey} (may be empty) holds. */
  public static List<LimitScope> prefixes(String scope, String limitKey) {
    if (limitKey == null || limitKey.isEmpty()) {
      return List.of(new LimitScope(List.of(scope)));
    }
    String[] levels = limitKey.split("/", -1);
    if (levels.length > 2) {
      throw new IllegalArgumentException("a limit key has 1 or 2 levels: '" + limitKey + "'");
    }
    if (levels.length == 1) {
      return List.of(new LimitScope(List.of(scope)), new LimitScope(List.of(scope, levels[0])));
    }
    return List.of(
        new LimitScope(List.of(scope)),
        new LimitScope(List.of(scope, levels[0])),
        new LimitScope(List.of(scope, levels[0], levels[1])));
  }

  public int depth() {
    return components.size();
  }

  @Override
  public String toString() {
    return String.join("/", components);
  }
}
