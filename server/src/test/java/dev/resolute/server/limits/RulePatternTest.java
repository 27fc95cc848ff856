package dev.resolute.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RulePatternTest {

  private static LimitScope scope(String... parts) {
    return new LimitScope(List.of(parts));
  }

  @Test
  void parsesTheCliExamples() {
    assertThat(RulePattern.parse("*").depth()).isEqualTo(1);
    assertThat(RulePattern.parse("scope1/*").depth()).isEqualTo(2);
    assertThat(RulePattern.parse("scope1/foo/bar").toString()).isEqualTo("scope1/foo/bar");
  }

  @Test
  void rejectsBadPatterns() {
    assertThatThrownBy(() -> RulePattern.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> RulePattern.parse("a/b/c/d"))
        .hasMessageContaining("too many path components (max 3)");
    assertThatThrownBy(() -> RulePattern.parse("a//b")).hasMessageContaining("invalid component");
    assertThatThrownBy(() -> RulePattern.parse("a b")).hasMessageContaining("invalid component");
    assertThatThrownBy(() -> RulePattern.parse("x".repeat(37))).hasMessageContaining("invalid");
  }

  @Test
  void matchesOnlyTheSameDepth() {
    assertThat(RulePattern.parse("*").rank(scope("s"))).contains(0);
    assertThat(RulePattern.parse("*").rank(scope("s", "a"))).isEmpty();
    assertThat(RulePattern.parse("s/*").rank(scope("s"))).isEmpty();
    assertThat(RulePattern.parse("s/*").rank(scope("s", "a"))).contains(2);
    assertThat(RulePattern.parse("s/*").rank(scope("t", "a"))).isEmpty();
  }

  @Test
  void moreSpecificRanksHigher() {
    LimitScope key = scope("s", "foo", "bar");
    int[] ranks = {
      RulePattern.parse("*/*/*").rank(key).orElseThrow(),
      RulePattern.parse("*/*/bar").rank(key).orElseThrow(),
      RulePattern.parse("*/foo/*").rank(key).orElseThrow(),
      RulePattern.parse("*/foo/bar").rank(key).orElseThrow(),
      RulePattern.parse("s/*/*").rank(key).orElseThrow(),
      RulePattern.parse("s/*/bar").rank(key).orElseThrow(),
      RulePattern.parse("s/foo/*").rank(key).orElseThrow(),
      RulePattern.parse("s/foo/bar").rank(key).orElseThrow()
    };
    assertThat(ranks).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
  }

  @Test
  void anInvocationCountsAgainstEachPrefix() {
    assertThat(LimitScope.prefixes("s", "")).containsExactly(scope("s"));
    assertThat(LimitScope.prefixes("s", "a/b"))
        .containsExactly(scope("s"), scope("s", "a"), scope("s", "a", "b"));
    assertThatThrownBy(() -> LimitScope.prefixes("s", "a/b/c")).hasMessageContaining("1 or 2");
  }
}
