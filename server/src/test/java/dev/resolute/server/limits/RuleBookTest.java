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
  void versionsStartAtOneAndBumpOnRuntimeChangesOnly() throws Exception {
    RuleBook book =
        RuleBook.EMPTY.upsert(List.of(upsert("s/*", 2, new Precondition.None())), 10).book();
    assertThat(book.get("s/*").orElseThrow().version()).isEqualTo(1);
    book = book.upsert(List.of(upsert("s/*", 2, new Precondition.Matches(1))), 20).book();
    assertThat(book.get("s/*").orElseThrow().version()).isEqualTo(1);
    assertThat(book.get("s/*").orElseThrow().lastModifiedMillis()).isEqualTo(20);
    book = book.upsert(List.of(upsert("s/*", 3, new Precondition.Matches(1))), 30).book();
    assertThat(book.get("s/*").orElseThrow().version()).isEqualTo(2);
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
