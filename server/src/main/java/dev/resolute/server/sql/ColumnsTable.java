package dev.resolute.server.sql;

import static dev.resolute.server.sql.ColumnType.U64;
import static dev.resolute.server.sql.ColumnType.UTF8;

import java.util.List;
import java.util.function.Consumer;

/**
 * {@code information_schema.columns} as DataFusion fills it (catalog {@code restate}, schema {@code
 * public}, Arrow type names, ordinal positions from 0): the CLI asks it which columns {@code
 * sys_journal} has before it reads a journal.
 */
final class ColumnsTable extends SysTable {
  private final List<SysTable> tables;

  ColumnsTable(List<SysTable> tables) {
    super(
        "columns",
        List.of(
            Column.of("table_catalog", UTF8),
            Column.of("table_schema", UTF8),
            Column.of("table_name", UTF8),
            Column.of("column_name", UTF8),
            Column.of("ordinal_position", U64),
            Column.of("column_default", UTF8),
            Column.of("is_nullable", UTF8),
            Column.of("data_type", UTF8)));
    this.tables = tables;
  }

  @Override
  void scan(QueryContext cx, Pushdown filter, Consumer<Object[]> rows) {
    for (SysTable t : tables) {
      for (int i = 0; i < t.columns.size(); i++) {
        Column c = t.columns.get(i);
        Row r = row();
        r.set("table_catalog", "restate");
        r.set("table_schema", "public");
        r.set("table_name", t.name);
        r.set("column_name", c.name());
        r.set("ordinal_position", (long) i);
        r.set(
            "is_nullable",
            t.name.equals("sys_invocation") && c.name().equals("status") ? "NO" : "YES");
        r.set("data_type", c.type().arrowName);
        rows.accept(r.values);
      }
    }
  }
}
