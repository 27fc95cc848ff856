package dev.resolute.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsTheCliUpsertAndAnswersRestatesShape() throws Exception {
    List<RuleBook.Upsert> batch =
        RuleJson.upserts(
            JSON.readTree(
                "[{\"pattern\":\"scope1/*\",\"limits\":{\"concurrency\":2},"
                    + "\"description\":\"hi\",\"disabled\":false,"
                    + "\"precondition\":{\"type\":\"does_not_exist\"}}]"));
    assertThat(batch.get(0).precondition()).isInstanceOf(RuleBook.Precondition.DoesNotExist.class);
    Rule rule = RuleBook.EMPTY.upsert(batch, 1_765_000_000_000L).rules().get(0);
    assertThat(JSON.writeValueAsString(RuleJson.response(rule)))
        .isEqualTo(
            "{\"pattern\":\"scope1/*\",\"limits\":{\"concurrency\":2},\"description\":\"hi\","
                + "\"disabled\":false,\"version\":1,"
                + "\"last_modified_millis_since_epoch\":1765000000000}");
  }

  @Test
  void readsOurRateExtension() throws Exception {
    RuleBook.Upsert u =
        RuleJson.upserts(
                JSON.readTree(
                    "[{\"pattern\":\"*\",\"limits\":{\"rate_per_second\":2.5,\"burst\":5},"
                        + "\"precondition\":{\"type\":\"matches\",\"version\":3}}]"))
            .get(0);
    assertThat(u.limits()).isEqualTo(new Limits(null, 2.5, 5));
    assertThat(u.precondition()).isEqualTo(new RuleBook.Precondition.Matches(3));
  }

  @Test
  void anUnlimitedRuleHasEmptyLimits() throws Exception {
    Rule rule =
        RuleBook.EMPTY
            .upsert(RuleJson.upserts(JSON.readTree("[{\"pattern\":\"*\"}]")), 5)
            .rules()
            .get(0);
    assertThat(JSON.writeValueAsString(RuleJson.response(rule).get("limits"))).isEqualTo("{}");
  }

  @Test
  void rejectsMalformedBodies() {
    assertThatThrownBy(() -> RuleJson.upserts(JSON.readTree("{}"))).hasMessageContaining("array");
    assertThatThrownBy(() -> RuleJson.upserts(JSON.readTree("[{\"limits\":{}}]")))
        .hasMessageContaining("pattern");
    assertThatThrownBy(
            () ->
                RuleJson.upserts(
                    JSON.readTree("[{\"pattern\":\"*\",\"limits\":{\"concurrency\":0}}]")))
        .hasMessageContaining(">= 1");
    assertThatThrownBy(
            () -> RuleJson.deletes(JSON.readTree("[{\"pattern\":\"*\",\"expected_version\":-1}]")))
        .hasMessageContaining("non-negative");
  }

  @Test
  void readsDeletes() throws Exception {
    List<RuleBook.Delete> d =
        RuleJson.deletes(
            JSON.readTree("[{\"pattern\":\"a/b\"},{\"pattern\":\"*\",\"expected_version\":2}]"));
    assertThat(d)
        .containsExactly(
            new RuleBook.Delete(RulePattern.parse("a/b"), null),
            new RuleBook.Delete(RulePattern.parse("*"), 2));
  }
}
