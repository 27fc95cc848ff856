package dev.resolute.server.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlLiteralsTest {

  @Test
  void plainStringLiteralsBecomeParametersInOrder() {
    SqlLiterals q =
        SqlLiterals.of(
            "SELECT * FROM sys_invocation WHERE id = 'inv_1' AND target_service_name = 'It''s'");
    assertThat(q.text())
        .isEqualTo("SELECT * FROM sys_invocation WHERE id = ? AND target_service_name = ?");
    assertThat(q.values()).containsExactly("inv_1", "It's");
  }

  @Test
  void numbersTypedLiteralsIdentifiersAndCommentsStay() {
    String sql =
        "SELECT \"a'b\", x'ff' FROM t -- it's\n"
            + "WHERE ts > TIMESTAMP '2024-01-01 00:00:00' AND d = date '2024-01-01'"
            + " AND i < now() - INTERVAL '1' HOUR /* 'x' */ ORDER BY 1 LIMIT 10";
    SqlLiterals q = SqlLiterals.of(sql);
    assertThat(q.text()).isEqualTo(sql);
    assertThat(q.values()).isEmpty();
  }

  @Test
  void aQueryWithItsOwnPlaceholderOrAnOpenQuoteIsLeftWhole() {
    assertThat(SqlLiterals.of("SELECT ? , 'a'").values()).isEmpty();
    assertThat(SqlLiterals.of("SELECT 'a").text()).isEqualTo("SELECT 'a");
    assertThat(SqlLiterals.of("SELECT 'a").values()).isEqualTo(List.of());
  }
}
