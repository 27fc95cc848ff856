package dev.resolute.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The implicit scope of services whose manifest declares a rate. */
class DeclaredRatesTest {
  static RuleBook.Upsert upsert(String pattern, String description) {
    return new RuleBook.Upsert(
        RulePattern.parse(pattern),
        new Limits(null, 5.0, null),
        description,
        false,
        new RuleBook.Precondition.None());
  }

  @Test
  void onlyServicesWithADeclaredRuleTakeAnImplicitScope() throws Exception {
    RuleBook book =
        RuleBook.EMPTY
            .upsert(
                List.of(
                    upsert("Throttled", DeclaredRates.DESCRIPTION_PREFIX + "Throttled"),
                    upsert("Other/h", DeclaredRates.DESCRIPTION_PREFIX + "Other"),
                    upsert("ByHand", "set with the CLI")),
                1)
            .book();
    DeclaredRates d = new DeclaredRates();
    assertThat(d.implicitScope("Throttled", "hit")).isEmpty(); // not refreshed yet
    d.refresh(book);
    assertThat(d.implicitScope("Throttled", "hit"))
        .contains(new DeclaredRates.Implicit("Throttled", "hit"));
    assertThat(d.implicitScope("Other", "x")).contains(new DeclaredRates.Implicit("Other", "x"));
    assertThat(d.implicitScope("ByHand", "x")).isEmpty();
    assertThat(d.implicitScope("Unknown", "x")).isEmpty();
    // a handler name that cannot be a limit-key level leaves the key out
    assertThat(d.implicitScope("Throttled", "a".repeat(40)))
        .contains(new DeclaredRates.Implicit("Throttled", null));
    d.refresh(RuleBook.EMPTY);
    assertThat(d.implicitScope("Throttled", "hit")).isEmpty();
  }

  @Test
  void aDeclaredRuleCountsItsServiceAndItsHandler() {
    // an implicit scope S with limit key h holds the counters S and S/h: the rules S and S/h
    assertThat(LimitScope.prefixes("S", "h").stream().map(LimitScope::toString))
        .containsExactly(
            DeclaredRates.pattern("S", null).toString(),
            DeclaredRates.pattern("S", "h").toString());
  }
}
