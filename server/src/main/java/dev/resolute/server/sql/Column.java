package dev.resolute.server.sql;

/** One column of a table: its name and type (every column is nullable, as restate-server's). */
record Column(String name, ColumnType type) {
  static Column of(String name, ColumnType type) {
    return new Column(name, type);
  }
}
