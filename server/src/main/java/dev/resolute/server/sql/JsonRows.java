package dev.resolute.server.sql;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes a {@link QueryResult} as restate-server writes {@code application/json} answers: {@code
 * {"rows":[{column: value, …}, …]}}, null values left out, timestamps as {@code
 * 2026-01-02T03:04:05.678Z}, durations as ISO 8601 seconds ({@code PT86400S}), binaries as
 * lower-case hex, unsigned integers unsigned, lists as arrays.
 */
final class JsonRows {
  private static final JsonFactory JSON = new JsonFactory();
  static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private JsonRows() {}

  static byte[] write(QueryResult result) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("rows");
      List<QueryResult.OutColumn> cols = result.columns();
      for (Object[] row : result.rows()) {
        g.writeStartObject();
        for (int i = 0; i < cols.size(); i++) {
          if (row[i] != null) {
            g.writeFieldName(cols.get(i).name());
            value(g, cols.get(i).type(), row[i]);
          }
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void value(JsonGenerator g, ColumnType t, Object v) throws IOException {
    switch (t) {
      case U64 -> g.writeNumber(new BigDecimal(Long.toUnsignedString(((Number) v).longValue())));
      case U32 -> g.writeNumber(Integer.toUnsignedLong(((Number) v).intValue()));
      case I64, I32 -> g.writeNumber(((Number) v).longValue());
      case F64 -> g.writeNumber(((Number) v).doubleValue());
      case BOOL -> g.writeBoolean((Boolean) v);
      case TIMESTAMP_MS -> g.writeString(timestamp(((Number) v).longValue()));
      case DURATION_MS -> g.writeString(duration(((Number) v).longValue()));
      case BINARY -> g.writeString(HexFormat.of().formatHex((byte[]) v));
      case LIST_UTF8, LIST_U32 -> {
        g.writeStartArray();
        for (Object item : (List<?>) v) {
          if (item == null) {
            g.writeNull();
          } else {
            value(g, t == ColumnType.LIST_UTF8 ? ColumnType.UTF8 : ColumnType.U32, item);
          }
        }
        g.writeEndArray();
      }
      default -> g.writeString(v.toString());
    }
  }

  static String timestamp(long millis) {
    return TIMESTAMP.format(Instant.ofEpochMilli(millis));
  }

  /** {@code PT86400S}, {@code PT2.5S}: whole seconds, milliseconds only when there are some. */
  static String duration(long millis) {
    BigDecimal seconds = BigDecimal.valueOf(millis, 3).stripTrailingZeros();
    return "PT" + seconds.toPlainString() + "S";
  }
}
