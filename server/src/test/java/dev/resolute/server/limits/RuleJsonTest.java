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
            ("[{\"pattern\":\"scope1/*\",\"limits\":{\"concurrency\":2},"
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
                ("[{\"pattern\":\"*\",\"limits\":{\"rate_per_second\":2.5,\"burst\":5},"
                    + "\"precondition\":{\"type\":\"matches\",\"version\":3}}]"))
            .get(0);
    assertThat(u.limits()).isEqualTo(new Limits(null, 2.5, 5));
    assertThat(u.precondition()).isEqualTo(new RuleBook.Precondition.Matches(3));
  }

  @Test
  void anUnlimitedRuleHasEmptyLimits() throws Exception {
    Rule rule =
        RuleBook.EMPTY.upsert(RuleJson.upserts(("[{\"pattern\":\"*\"}]")), 5).rules().get(0);
    assertThat(JSON.writeValueAsString(RuleJson.response(rule).get("limits"))).isEqualTo("{}");
  }

  @Test
  void rejectsMalformedBodies() {
    assertThatThrownBy(() -> RuleJson.upserts(("{}")))
        .hasMessage("invalid type: map, expected a sequence at line 1 column 0");
    assertThatThrownBy(() -> RuleJson.upserts(("[{\"limits\":{}}]")))
        .hasMessage("[0]: missing field `pattern` at line 1 column 14");
    assertThatThrownBy(() -> RuleJson.upserts("[{\"pattern\":\"s1/*/a/b\",\"limits\":{}}]"))
        .hasMessage("[0].pattern: too many path components (max 3) at line 1 column 22");
    assertThatThrownBy(
            () ->
                RuleJson.upserts(
                    "[{\"pattern\":\"q/*/*\",\"limits\":{},\"precondition\":{\"type\":\"bogus\"}}]"))
        .hasMessage(
            "[0].precondition.type: unknown variant `bogus`, expected one of `none`, `matches`,"
                + " `does_not_exist` at line 1 column 62");
    assertThatThrownBy(
            () -> RuleJson.upserts(("[{\"pattern\":\"*\",\"limits\":{\"concurrency\":0}}]")))
        .hasMessage(
            "[0].limits.concurrency: invalid value: integer `0`, expected a nonzero u32 at line 1"
                + " column 41");
    assertThatThrownBy(() -> RuleJson.deletes(("[{\"pattern\":\"*\",\"expected_version\":-1}]")))
        .hasMessageContaining("[0].expected_version: invalid value: integer `-1`");
  }

  @Test
  void readsDeletes() throws Exception {
    List<RuleBook.Delete> d =
        RuleJson.deletes(("[{\"pattern\":\"a/b\"},{\"pattern\":\"*\",\"expected_version\":2}]"));
    assertThat(d)
        .containsExactly(
            new RuleBook.Delete(RulePattern.parse("a/b"), null),
            new RuleBook.Delete(RulePattern.parse("*"), 2));
  }
}
