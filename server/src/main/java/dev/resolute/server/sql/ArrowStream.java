package dev.resolute.server.sql;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.Bool;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.Duration;
import org.apache.arrow.flatbuf.Field;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.FloatingPoint;
import org.apache.arrow.flatbuf.Int;
import org.apache.arrow.flatbuf.LargeBinary;
import org.apache.arrow.flatbuf.LargeUtf8;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.MetadataVersion;
import org.apache.arrow.flatbuf.Precision;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.flatbuf.Schema;
import org.apache.arrow.flatbuf.TimeUnit;
import org.apache.arrow.flatbuf.Timestamp;
import org.apache.arrow.flatbuf.Type;

/**
 * Writes a {@link QueryResult} as an Arrow IPC stream ({@code
 * application/vnd.apache.arrow.stream}): the schema message, one record batch with every row (none
 * when there are no rows) and the end-of-stream marker, in the little-endian encapsulated format of
 * Arrow's columnar specification. The messages' metadata is built with Arrow's own flatbuffer
 * definitions ({@code arrow-format}); the body buffers are laid out here (validity bitmap, offsets,
 * values; each 8-byte aligned), which spares the server Arrow's off-heap allocator and the JVM
 * flags it needs.
 */
final class ArrowStream {
  private ArrowStream() {}

  static byte[] write(QueryResult result) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeMessage(out, schemaMessage(result.columns()), new byte[0]);
    if (!result.rows().isEmpty()) {
      Body body = new Body();
      for (int c = 0; c < result.columns().size(); c++) {
        List<Object> values = new ArrayList<>(result.rows().size());
        for (Object[] row : result.rows()) {
          values.add(row[c]);
        }
        body.column(result.columns().get(c).type(), values);
      }
      writeMessage(out, body.message(result.rows().size()), body.bytes.toByteArray());
    }
    writeInt(out, -1);
    writeInt(out, 0);
    return out.toByteArray();
  }

  // ------------------------------------------------------------------ schema

  private static byte[] schemaMessage(List<QueryResult.OutColumn> columns) {
    FlatBufferBuilder b = new FlatBufferBuilder(1024);
    int[] fields = new int[columns.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = field(b, columns.get(i).name(), columns.get(i).type());
    }
    int fieldsVec = Schema.createFieldsVector(b, fields);
    int schema = Schema.createSchema(b, (short) 0, fieldsVec, 0, 0);
    int msg = Message.createMessage(b, MetadataVersion.V5, MessageHeader.Schema, schema, 0L, 0);
    b.finish(msg);
    return b.sizedByteArray();
  }

  private static int field(FlatBufferBuilder b, String name, ColumnType t) {
    int nameOff = b.createString(name);
    int children = 0;
    if (t == ColumnType.LIST_UTF8 || t == ColumnType.LIST_U32) {
      int item = field(b, "item", t == ColumnType.LIST_UTF8 ? ColumnType.UTF8 : ColumnType.U32);
      children = Field.createChildrenVector(b, new int[] {item});
    } else {
      children = Field.createChildrenVector(b, new int[0]);
    }
    byte typeType;
    int typeOff;
    switch (t) {
      case UTF8 -> {
        LargeUtf8.startLargeUtf8(b);
        typeOff = LargeUtf8.endLargeUtf8(b);
        typeType = Type.LargeUtf8;
      }
      case BINARY -> {
        LargeBinary.startLargeBinary(b);
        typeOff = LargeBinary.endLargeBinary(b);
        typeType = Type.LargeBinary;
      }
      case U64, I64, U32, I32 -> {
        boolean wide = t == ColumnType.U64 || t == ColumnType.I64;
        boolean signed = t == ColumnType.I64 || t == ColumnType.I32;
        typeOff = Int.createInt(b, wide ? 64 : 32, signed);
        typeType = Type.Int;
      }
      case F64 -> {
        typeOff = FloatingPoint.createFloatingPoint(b, Precision.DOUBLE);
        typeType = Type.FloatingPoint;
      }
      case BOOL -> {
        Bool.startBool(b);
        typeOff = Bool.endBool(b);
        typeType = Type.Bool;
      }
      case TIMESTAMP_MS -> {
        int tz = b.createString("+00:00");
        typeOff = Timestamp.createTimestamp(b, TimeUnit.MILLISECOND, tz);
        typeType = Type.Timestamp;
      }
      case DURATION_MS -> {
        typeOff = Duration.createDuration(b, TimeUnit.MILLISECOND);
        typeType = Type.Duration;
      }
      case LIST_UTF8, LIST_U32 -> {
        org.apache.arrow.flatbuf.List.startList(b);
        typeOff = org.apache.arrow.flatbuf.List.endList(b);
        typeType = Type.List;
      }
      default -> throw new IllegalStateException("unhandled type " + t);
    }
    return Field.createField(b, nameOff, true, typeType, typeOff, 0, children, 0);
  }

  // ------------------------------------------------------------------ record batch

  /** The body of one record batch: field nodes and buffers in depth-first column order. */
  private static final class Body {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<long[]> nodes = new ArrayList<>(); // {length, nullCount}
    final List<long[]> buffers = new ArrayList<>(); // {offset, length}

    void column(ColumnType t, List<Object> values) {
      int n = values.size();
      int nulls = 0;
      byte[] validity = new byte[(n + 7) / 8];
      for (int i = 0; i < n; i++) {
        if (values.get(i) == null) {
          nulls++;
        } else {
          validity[i / 8] |= (byte) (1 << (i % 8));
        }
      }
      nodes.add(new long[] {n, nulls});
      buffer(validity);
      switch (t) {
        case UTF8, BINARY -> {
          ByteBuffer offsets = le(8 * (n + 1));
          ByteArrayOutputStream data = new ByteArrayOutputStream();
          offsets.putLong(0);
          for (Object v : values) {
            if (v != null) {
              data.writeBytes(
                  v instanceof byte[] raw ? raw : v.toString().getBytes(StandardCharsets.UTF_8));
            }
            offsets.putLong(data.size());
          }
          buffer(offsets.array());
          buffer(data.toByteArray());
        }
        case U64, I64, TIMESTAMP_MS, DURATION_MS -> {
          ByteBuffer data = le(8 * n);
          for (Object v : values) {
            data.putLong(v == null ? 0 : ((Number) v).longValue());
          }
          buffer(data.array());
        }
        case U32, I32 -> {
          ByteBuffer data = le(4 * n);
          for (Object v : values) {
            data.putInt(v == null ? 0 : ((Number) v).intValue());
          }
          buffer(data.array());
        }
        case F64 -> {
          ByteBuffer data = le(8 * n);
          for (Object v : values) {
            data.putDouble(v == null ? 0 : ((Number) v).doubleValue());
          }
          buffer(data.array());
        }
        case BOOL -> {
          byte[] bits = new byte[(n + 7) / 8];
          for (int i = 0; i < n; i++) {
            if (Boolean.TRUE.equals(values.get(i))) {
              bits[i / 8] |= (byte) (1 << (i % 8));
            }
          }
          buffer(bits);
        }
        case LIST_UTF8, LIST_U32 -> {
          ByteBuffer offsets = le(4 * (n + 1));
          List<Object> items = new ArrayList<>();
          offsets.putInt(0);
          for (Object v : values) {
            if (v != null) {
              items.addAll((List<?>) v);
            }
            offsets.putInt(items.size());
          }
          buffer(offsets.array());
          column(t == ColumnType.LIST_UTF8 ? ColumnType.UTF8 : ColumnType.U32, items);
        }
        default -> throw new IllegalStateException("unhandled type " + t);
      }
    }

    private void buffer(byte[] b) {
      buffers.add(new long[] {bytes.size(), b.length});
      bytes.writeBytes(b);
      pad(bytes);
    }

    byte[] message(int rows) {
      FlatBufferBuilder b = new FlatBufferBuilder(1024);
      RecordBatch.startNodesVector(b, nodes.size());
      for (int i = nodes.size() - 1; i >= 0; i--) {
        FieldNode.createFieldNode(b, nodes.get(i)[0], nodes.get(i)[1]);
      }
      int nodesVec = b.endVector();
      RecordBatch.startBuffersVector(b, buffers.size());
      for (int i = buffers.size() - 1; i >= 0; i--) {
        Buffer.createBuffer(b, buffers.get(i)[0], buffers.get(i)[1]);
      }
      int buffersVec = b.endVector();
      int batch = RecordBatch.createRecordBatch(b, rows, nodesVec, buffersVec, 0, 0);
      int msg =
          Message.createMessage(
              b, MetadataVersion.V5, MessageHeader.RecordBatch, batch, bytes.size(), 0);
      b.finish(msg);
      return b.sizedByteArray();
    }
  }

  // ------------------------------------------------------------------ framing

  /** Continuation marker, metadata length (padded to 8), metadata, padding, body. */
  private static void writeMessage(ByteArrayOutputStream out, byte[] metadata, byte[] body) {
    int padded = (metadata.length + 8 + 7) / 8 * 8 - 8;
    writeInt(out, -1);
    writeInt(out, padded);
    out.writeBytes(metadata);
    for (int i = metadata.length; i < padded; i++) {
      out.write(0);
    }
    out.writeBytes(body);
  }

  private static void pad(ByteArrayOutputStream out) {
    while (out.size() % 8 != 0) {
      out.write(0);
    }
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.writeBytes(le(4).putInt(v).array());
  }
}
