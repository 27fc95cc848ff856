package dev.resolute.server.limits;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A rule's pattern, as restate-server 1.7 parses it: one to three {@code /}-separated components
 * (scope, level 1, level 2 of the limit key), each an exact value ({@code [a-zA-Z0-9_.-]}, 1..36
 * bytes) or the wildcard {@code *}. Examples: {@code *}, {@code scope1/*}, {@code scope1/foo/bar}.
 *
 * <p>A pattern only matches an input of the same depth: {@code scope1} limits the scope as a whole,
 * {@code scope1/*} each level-1 key under it separately, {@code scope1/*}{@code /*} each level-2
 * key. Among the patterns of one depth that match, the most specific wins: {@link #rank} sets one
 * bit per exact component (scope = most significant), so {@code scope/foo/bar} (7) beats {@code
 * scope/*}{@code /bar} (5) beats {@code *}{@code /foo/bar} (3).
 */
public record RulePattern(List<String> components) {

  static final String WILDCARD = "*";
  private static final Pattern VALUE = Pattern.compile("[a-zA-Z0-9_.-]{1,36}");

  public RulePattern {
    components = List.copyOf(components);
    if (components.isEmpty() || components.size() > 3) {
      throw new IllegalArgumentException("a rule pattern has 1 to 3 components");
    }
  }

  /**
   * Parses {@code text}; throws {@link IllegalArgumentException} with restate-server 1.7.12's
   * reason ("too many path components (max 3)", "invalid component: value too long: 48 bytes (max
   * 36)", …).
   */
  public static RulePattern parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("pattern cannot be empty");
    }
    List<String> parts = new ArrayList<>(List.of(text.split("/", -1)));
    if (parts.size() > 3) {
      throw new IllegalArgumentException("too many path components (max 3)");
    }
    for (String part : parts) {
      if (part.equals(WILDCARD)) {
        continue;
      }
      int bytes = part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (part.isEmpty()) {
        throw new IllegalArgumentException("invalid component: value cannot be empty");
      }
      if (bytes > 36) {
        throw new IllegalArgumentException(
            "invalid component: value too long: " + bytes + " bytes (max 36)");
      }
      if (!VALUE.matcher(part).matches()) {
        throw new IllegalArgumentException(
            "invalid component: value contains characters outside the allowed set"
                + " [a-zA-Z0-9_.-]");
      }
    }
    return new RulePattern(parts);
  }

  /** True when {@code text} is a valid exact component (a scope or a limit-key level). */
  public static boolean isValue(String text) {
    return text != null && VALUE.matcher(text).matches();
  }

  /** 1 (scope), 2 (level 1) or 3 (level 2). */
  public int depth() {
    return components.size();
  }

  /**
   * The precedence of this pattern for {@code key} if it matches it (same depth, every exact
   * component equal), higher is more specific; empty if it does not match.
   */
  public Optional<Integer> rank(LimitScope key) {
    if (key.depth() != depth()) {
      return Optional.empty();
    }
    int rank = 0;
    for (int i = 0; i < components.size(); i++) {
      String pattern = components.get(i);
      rank <<= 1;
      if (pattern.equals(WILDCARD)) {
        continue;
      }
      if (!pattern.equals(key.components().get(i))) {
        return Optional.empty();
      }
      rank |= 1;
    }
    return Optional.of(rank);
  }

  @Override
  public String toString() {
    return String.join("/", components);
  }
}
