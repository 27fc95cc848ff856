package dev.resolute.server.sql;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One introspection table: its name, its columns (restate-server 1.7.12's, in its order) and a scan
 * that produces full rows, narrowed by the equalities the query pushed down. A scan may produce
 * rows that do not match the pushed-down equalities: the engine filters every row again.
 */
abstract class SysTable {
  final String name;
  final List<Column> columns;
  private final Map<String, Integer> index = new HashMap<>();

  SysTable(String name, List<Column> columns) {
    this.name = name;
    this.columns = List.copyOf(columns);
    for (int i = 0; i < columns.size(); i++) {
      index.put(columns.get(i).name(), i);
    }
  }

  abstract void scan(QueryContext cx, Pushdown filter, Consumer<Object[]> rows);

  /** A row being filled by column name; names this table does not have are ignored. */
  final Row row() {
    return new Row(new Object[columns.size()], null);
  }

  /**
   * A row of which only the {@code wanted} columns (by index; null: all) are kept: the query reads
   * no other, so a table may skip computing them ({@link Row#wants}).
   */
  final Row row(boolean[] wanted) {
    return new Row(new Object[columns.size()], wanted);
  }

  final class Row {
    final Object[] values;
    private final boolean[] wanted;

    Row(Object[] values, boolean[] wanted) {
      this.values = values;
      this.wanted = wanted;
    }

    /** Whether the query reads {@code column} (a table skips computing what it does not). */
    boolean wants(String column) {
      Integer i = index.get(column);
      return i != null && (wanted == null || wanted[i]);
    }

    Row set(String column, Object value) {
      Integer i = index.get(column);
      if (i != null && (wanted == null || wanted[i])) {
        values[i] = value;
      }
      return this;
    }

    /** Sets {@code value} unless it is empty (restate-server leaves empty strings null). */
    Row text(String column, String value) {
      return set(column, value == null || value.isEmpty() ? null : value);
    }

    /** Sets {@code millis} unless it is zero (not recorded). */
    Row time(String column, long millis) {
      return set(column, millis == 0 ? null : millis);
    }
  }
}
