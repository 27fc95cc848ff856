package dev.resolute.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.server.limits.RuleBook.Delete;
import dev.resolute.server.limits.RuleBook.Precondition;
import dev.resolute.server.limits.RuleBook.Upsert;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleBookTest {

  private static Upsert upsert(String pattern, Integer concurrency, Precondition p) {
    return new Upsert(
        RulePattern.parse(pattern), new Limits(concurrency, null, null), null, false, p);
  }

  @Test
  void aRuleTakesTheBookVersionOfTheBatchThatLastChangedItAtRuntime() throws Exception {
    // the sequence observed on restate-server 1.7.12 (PUT /limits/rules, one batch per line)
    RuleBook book = RuleBook.EMPTY.upsert(List.of(upsert("s/*", 2, none())), 10).book();
    assertThat(book.get("s/*").orElseThrow().version()).isEqualTo(1);
    book = book.upsert(List.of(upsert("t", null, none())), 20).book();
    assertThat(book.get("t").orElseThrow().version()).isEqualTo(2);
    // the same limits again: nothing changes, not even the book
    RuleBook same = book.upsert(List.of(upsert("s/*", 2, new Precondition.Matches(1))), 30).book();
    assertThat(same).isSameAs(book);
    // a description is not runtime-relevant: the book moves on, the rule keeps version and time
    book =
        book.upsert(
                List.of(
                    new Upsert(
                        RulePattern.parse("s/*"), new Limits(2, null, null), "d", false, none())),
                40)
            .book();
    assertThat(book.version()).isEqualTo(3);
    assertThat(book.get("s/*").orElseThrow())
        .extracting(Rule::version, Rule::lastModifiedMillis, Rule::description)
        .containsExactly(1, 10L, "d");
    // two rules in one batch share its version; each entry answers with the rule's final state
    RuleBook.UpsertResult r =
        book.upsert(
            List.of(upsert("a", 1, none()), upsert("b", 1, none()), upsert("a", 5, none())), 50);
    assertThat(r.rules()).extracting(Rule::version).containsExactly(4, 4, 4);
    assertThat(r.rules()).extracting(x -> x.limits().concurrency()).containsExactly(5, 1, 5);
    book = r.book().upsert(List.of(upsert("s/*", 3, new Precondition.Matches(1))), 60).book();
    assertThat(book.get("s/*").orElseThrow().version()).isEqualTo(5);
    assertThat(book.get("s/*").orElseThrow().lastModifiedMillis()).isEqualTo(60);
  }

  @Test
  void preconditionFailuresUseRestatesWords() throws Exception {
    RuleBook book = RuleBook.EMPTY.upsert(List.of(upsert("s1/*", 2, none())), 1).book();
    assertThatThrownBy(
            () -> book.upsert(List.of(upsert("s1/*", 2, new Precondition.DoesNotExist())), 2))
        .hasMessage(
            "rule precondition DoesNotExist for pattern s1/* failed (actual version: Some(v1))");
    assertThatThrownBy(
            () -> book.upsert(List.of(upsert("nope", 2, new Precondition.Matches(1))), 2))
        .hasMessage("rule precondition Matches(v1) for pattern nope failed (actual version: None)");
    assertThatThrownBy(() -> book.delete(List.of(new Delete(RulePattern.parse("s1/*"), 3))))
        .hasMessage(
            "rule precondition Matches(v3) for pattern s1/* failed (actual version: Some(v1))");
  }

  private static Precondition none() {
    return new Precondition.None();
  }

  @Test
  void aFailedPreconditionRejectsTheWholeBatch() throws Exception {
    RuleBook book =
        RuleBook.EMPTY.upsert(List.of(upsert("a", 1, new Precondition.None())), 1).book();
    RuleBook before = book;
    assertThatThrownBy(
            () ->
                before.upsert(
                    List.of(
                        upsert("b", 1, new Precondition.None()),
                        upsert("a", 1, new Precondition.DoesNotExist())),
                    2))
        .isInstanceOf(RuleBook.RejectedException.class)
        .matches(e -> ((RuleBook.RejectedException) e).conflict());
    assertThat(before.get("b")).isEmpty();
  }

  @Test
  void deleteIsIdempotentWithoutAnExpectedVersion() throws Exception {
    RuleBook book =
        RuleBook.EMPTY.upsert(List.of(upsert("a", 1, new Precondition.None())), 1).book();
    RuleBook.DeleteResult r =
        book.delete(
            List.of(
                new Delete(RulePattern.parse("a"), null),
                new Delete(RulePattern.parse("zz"), null)));
    assertThat(r.removed()).containsExactly("a");
    assertThatThrownBy(() -> book.delete(List.of(new Delete(RulePattern.parse("a"), 7))))
        .isInstanceOf(RuleBook.RejectedException.class);
  }

  @Test
  void resolvePicksTheMostSpecificEnabledRule() throws Exception {
    RuleBook book =
        RuleBook.EMPTY
            .upsert(
                List.of(
                    upsert("*/*", 10, new Precondition.None()),
                    upsert("s/*", 5, new Precondition.None()),
                    new Upsert(
                        RulePattern.parse("s/vip"),
                        new Limits(50, null, null),
                        null,
                        true,
                        new Precondition.None())),
                1)
            .book();
    LimitScope vip = new LimitScope(List.of("s", "vip"));
    assertThat(book.resolve(vip).orElseThrow().limits().concurrency()).isEqualTo(5);
    assertThat(book.resolve(new LimitScope(List.of("t", "x"))).orElseThrow().limits().concurrency())
        .isEqualTo(10);
    assertThat(book.resolve(new LimitScope(List.of("s")))).isEmpty();
  }
}
