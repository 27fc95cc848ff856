package dev.resolute.server.sql;

import static dev.resolute.server.sql.ColumnType.BOOL;
import static dev.resolute.server.sql.ColumnType.F64;
import static dev.resolute.server.sql.ColumnType.TIMESTAMP_MS;
import static dev.resolute.server.sql.ColumnType.U32;
import static dev.resolute.server.sql.ColumnType.U64;
import static dev.resolute.server.sql.ColumnType.UTF8;

import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.limits.LimitTables;
import dev.resolute.server.limits.Limits;
import dev.resolute.server.limits.Rule;
import java.util.List;
import java.util.function.Consumer;

/**
 * The limit tables: {@code sys_rules} (the rule book, as restate-server 1.7.12 shows it — the
 * official CLI's {@code restate rules} reads it — plus our {@code rate_per_second} and {@code
 * burst} at the end) and {@code sys_limit_queue} (ours: the scoped invocations waiting for a slot
 * or a token, in serving order within each group).
 */
final class LimitSqlTables {
  private LimitSqlTables() {}

  static SysTable rules() {
    return new SysTable(
        "sys_rules",
        List.of(
            Column.of("pattern", UTF8),
            Column.of("concurrency", U32),
            Column.of("description", UTF8),
            Column.of("disabled", BOOL),
            Column.of("version", U32),
            Column.of("last_modified", TIMESTAMP_MS),
            Column.of("rate_per_second", F64),
            Column.of("burst", U32))) {
      @Override
      void scan(QueryContext cx, Pushdown filter, Consumer<Object[]> rows) {
        // every partition holds the same book; partition 0's answers the admin API too
        for (Rule rule : new LimitTables(0, cx.reader()).book().rules()) {
          cx.check();
          Limits l = rule.limits();
          Row r = row();
          r.set("pattern", rule.pattern().toString());
          r.set("concurrency", l.concurrency());
          r.set("description", rule.description());
          r.set("disabled", rule.disabled());
          r.set("version", rule.version());
          r.set("last_modified", rule.lastModifiedMillis());
          if (l.ratePerSecond() != null) {
            r.set("rate_per_second", l.ratePerSecond());
            r.set("burst", l.effectiveBurst());
          }
          rows.accept(r.values);
        }
      }
    };
  }

  static SysTable queue() {
    return new SysTable(
        "sys_limit_queue",
        List.of(
            Column.of("partition_key", U64),
            Column.of("id", UTF8),
            Column.of("scope", UTF8),
            Column.of("limit_key", UTF8),
            Column.of("limit_group", UTF8),
            Column.of("sequence_number", U64),
            Column.of("queued_at", TIMESTAMP_MS))) {
      @Override
      void scan(QueryContext cx, Pushdown filter, Consumer<Object[]> rows) {
        for (int p = 0; p < cx.partitioning.count(); p++) {
          new LimitTables(p, cx.reader())
              .scanQueue(
                  q -> {
                    cx.check();
                    InvocationId id =
                        InvocationId.fromBytes(q.entry().getInvocationId().toByteArray());
                    Row r = row();
                    r.set("partition_key", id.partitionKey());
                    r.set("id", id.toString());
                    r.text("scope", q.entry().getScope());
                    r.text("limit_key", q.entry().getLimitKey());
                    r.set("limit_group", q.group());
                    r.set("sequence_number", q.seq());
                    r.time("queued_at", q.entry().getQueuedAt());
                    rows.accept(r.values);
                    return true;
                  });
        }
      }
    };
  }
}
