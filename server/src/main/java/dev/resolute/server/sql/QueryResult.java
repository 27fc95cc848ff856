package dev.resolute.server.sql;

import java.util.List;

/**
 * The answer to one query: its columns and its rows. Values are {@code null}, {@code String},
 * {@code Long} (integers; an unsigned column holds the bits of its value; epoch milliseconds for
 * timestamps, milliseconds for durations), {@code Double}, {@code Boolean}, {@code byte[]} or a
 * {@code List} of such values.
 */
record QueryResult(List<OutColumn> columns, List<Object[]> rows) {
  record OutColumn(String name, ColumnType type) {}
}
