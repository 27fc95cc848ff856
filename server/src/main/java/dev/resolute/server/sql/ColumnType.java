package dev.resolute.server.sql;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The column types of restate-server's tables (its Arrow types), each with the SQL type Calcite
 * plans with. A scan produces values in Calcite's internal representation: {@code String}, {@code
 * Long}, {@code Integer}, {@code Boolean}, {@code Long} epoch milliseconds for timestamps, {@code
 * Long} milliseconds for durations, {@code ByteString} for binaries, {@code List} for lists.
 *
 * <p>Unsigned 64-bit columns are planned as {@code BIGINT} and hold the bits of the unsigned value:
 * answers print them unsigned; comparisons in SQL see them signed (only {@code partition_key} ever
 * exceeds {@code Long.MAX_VALUE}).
 */
enum ColumnType {
  UTF8("LargeUtf8"),
  U64("UInt64"),
  U32("UInt32"),
  I64("Int64"),
  I32("Int32"),
  F64("Float64"),
  BOOL("Boolean"),
  TIMESTAMP_MS("Timestamp(ms, \"+00:00\")"),
  DURATION_MS("Duration(ms)"),
  BINARY("LargeBinary"),
  LIST_UTF8("List(LargeUtf8)"),
  LIST_U32("List(UInt32)");

  /** The name DataFusion's {@code information_schema.columns.data_type} gives this type. */
  final String arrowName;

  ColumnType(String arrowName) {
    this.arrowName = arrowName;
  }

  RelDataType sqlType(RelDataTypeFactory f) {
    RelDataType t =
        switch (this) {
          case UTF8 -> f.createSqlType(SqlTypeName.VARCHAR);
          case U64, I64 -> f.createSqlType(SqlTypeName.BIGINT);
          case U32, I32 -> f.createSqlType(SqlTypeName.INTEGER);
          case F64 -> f.createSqlType(SqlTypeName.DOUBLE);
          case BOOL -> f.createSqlType(SqlTypeName.BOOLEAN);
          case TIMESTAMP_MS -> f.createSqlType(SqlTypeName.TIMESTAMP, 3);
          case DURATION_MS ->
              f.createSqlIntervalType(
                  new SqlIntervalQualifier(
                      org.apache.calcite.avatica.util.TimeUnit.DAY,
                      org.apache.calcite.avatica.util.TimeUnit.SECOND,
                      SqlParserPos.ZERO));
          case BINARY -> f.createSqlType(SqlTypeName.VARBINARY);
          case LIST_UTF8 -> f.createArrayType(f.createSqlType(SqlTypeName.VARCHAR), -1);
          case LIST_U32 -> f.createArrayType(f.createSqlType(SqlTypeName.INTEGER), -1);
        };
    return f.createTypeWithNullability(t, true);
  }

  /** The type of a computed result column (no source column to take the type from). */
  static ColumnType ofSql(RelDataType t) {
    return switch (t.getSqlTypeName()) {
      case BIGINT -> I64;
      case INTEGER, SMALLINT, TINYINT -> I32;
      case BOOLEAN -> BOOL;
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE, DATE -> TIMESTAMP_MS;
      case INTERVAL_DAY,
          INTERVAL_DAY_HOUR,
          INTERVAL_DAY_MINUTE,
          INTERVAL_DAY_SECOND,
          INTERVAL_HOUR,
          INTERVAL_HOUR_MINUTE,
          INTERVAL_HOUR_SECOND,
          INTERVAL_MINUTE,
          INTERVAL_MINUTE_SECOND,
          INTERVAL_SECOND ->
          DURATION_MS;
      case DOUBLE, FLOAT, REAL, DECIMAL -> F64;
      case BINARY, VARBINARY -> BINARY;
      case ARRAY ->
          t.getComponentType() != null
                  && t.getComponentType().getSqlTypeName() == SqlTypeName.INTEGER
              ? LIST_U32
              : LIST_UTF8;
      default -> UTF8;
    };
  }
}
