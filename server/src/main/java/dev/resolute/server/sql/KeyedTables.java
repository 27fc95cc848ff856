package dev.resolute.server.sql;

import static dev.resolute.server.sql.ColumnType.BINARY;
import static dev.resolute.server.sql.ColumnType.BOOL;
import static dev.resolute.server.sql.ColumnType.TIMESTAMP_MS;
import static dev.resolute.server.sql.ColumnType.U64;
import static dev.resolute.server.sql.ColumnType.UTF8;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.server.pb.Promise;
import dev.resolute.server.schema.ServiceType;
import dev.resolute.server.storage.Keys;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * The tables kept per virtual-object or workflow key: {@code state}, {@code sys_inbox}, {@code
 * sys_keyed_service_status} (the key's lock holder) and {@code sys_promise}. Filters on {@code
 * service_name} and {@code service_key} become prefix scans of one partition (see {@link
 * Scans#keyed}).
 */
final class KeyedTables {
  private KeyedTables() {}

  static SysTable state() {
    return new KeyedTable(
        "state",
        Keys.STATE,
        List.of(
            Column.of("partition_key", U64),
            Column.of("scope", UTF8),
            Column.of("service_name", UTF8),
            Column.of("service_key", UTF8),
            Column.of("key", UTF8),
            Column.of("key_length", U64),
            Column.of("value_utf8", UTF8),
            Column.of("value", BINARY),
            Column.of("value_length", U64))) {
      @Override
      boolean fill(QueryContext cx, Row r, String service, Scans.KeyReader kr, byte[] v) {
        byte[] name = kr.lenBytes();
        r.set("key", new String(name, StandardCharsets.UTF_8));
        r.set("key_length", (long) name.length);
        r.set("value_utf8", utf8(v));
        r.set("value", v);
        r.set("value_length", (long) v.length);
        return true;
      }
    };
  }

  static SysTable inbox() {
    return new KeyedTable(
        "sys_inbox",
        Keys.INBOX,
        List.of(
            Column.of("partition_key", U64),
            Column.of("service_name", UTF8),
            Column.of("service_key", UTF8),
            Column.of("id", UTF8),
            Column.of("sequence_number", U64),
            Column.of("created_at", TIMESTAMP_MS))) {
      @Override
      boolean fill(QueryContext cx, Row r, String service, Scans.KeyReader kr, byte[] v) {
        long seq = kr.u64();
        if (v.length != InvocationId.RAW_SIZE) {
          return false; // a state mutation waiting for the lock, not an invocation
        }
        r.set("id", InvocationId.fromBytes(v).toString());
        r.set("sequence_number", seq);
        return true;
      }
    };
  }

  static SysTable keyedServiceStatus() {
    return new KeyedTable(
        "sys_keyed_service_status",
        Keys.LOCK,
        List.of(
            Column.of("partition_key", U64),
            Column.of("service_name", UTF8),
            Column.of("service_key", UTF8),
            Column.of("invocation_id", UTF8))) {
      @Override
      boolean fill(QueryContext cx, Row r, String service, Scans.KeyReader kr, byte[] v) {
        if (isWorkflow(cx, service)) {
          // restate-server lists only virtual objects' keys: a workflow run's lock is not
          // a keyed service status there
          return false;
        }
        r.set("invocation_id", InvocationId.fromBytes(v).toString());
        return true;
      }
    };
  }

  private static boolean isWorkflow(QueryContext cx, String service) {
    return cx.registry.service(service).map(sv -> sv.type() == ServiceType.WORKFLOW).orElse(false);
  }

  static SysTable promise() {
    return new KeyedTable(
        "sys_promise",
        Keys.PROMISE,
        List.of(
            Column.of("partition_key", U64),
            Column.of("scope", UTF8),
            Column.of("service_name", UTF8),
            Column.of("service_key", UTF8),
            Column.of("key", UTF8),
            Column.of("completed", BOOL),
            Column.of("completion_success_value", BINARY),
            Column.of("completion_success_value_utf8", UTF8),
            Column.of("completion_failure", UTF8))) {
      @Override
      boolean fill(QueryContext cx, Row r, String service, Scans.KeyReader kr, byte[] v) {
        String name = kr.str();
        Promise pr;
        try {
          pr = Promise.parseFrom(v);
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalStateException("unreadable promise", e);
        }
        r.set("key", name);
        r.set("completed", pr.getCompleted());
        if (pr.getCompleted() && pr.hasOutcome()) {
          if (pr.getOutcome().hasFailure()) {
            r.set(
                "completion_failure",
                "["
                    + pr.getOutcome().getFailure().getCode()
                    + "] "
                    + pr.getOutcome().getFailure().getMessage());
          } else {
            byte[] value = pr.getOutcome().getSuccess().toByteArray();
            r.set("completion_success_value", value);
            r.set("completion_success_value_utf8", utf8(value));
          }
        }
        return true;
      }
    };
  }

  /**
   * A table of one keyed tag ({@code tag ‖ str(service) ‖ str(key) ‖ …}): each stored entry is a
   * row whose {@code partition_key}, {@code service_name} and {@code service_key} come from the
   * key, the rest from {@link #fill}.
   */
  private abstract static class KeyedTable extends SysTable {
    private final byte tag;

    KeyedTable(String name, byte tag, List<Column> columns) {
      super(name, columns);
      this.tag = tag;
    }

    /**
     * Fills the rest of {@code r} from the key after its service and key ({@code kr}) and the
     * value; false when the entry is not a row of this table.
     */
    abstract boolean fill(QueryContext cx, Row r, String service, Scans.KeyReader kr, byte[] v);

    @Override
    final void scan(QueryContext cx, Pushdown filter, Consumer<Object[]> rows) {
      Scans.keyed(
          cx,
          filter,
          tag,
          (k, v) -> {
            Scans.KeyReader kr = new Scans.KeyReader(k);
            String service = kr.str();
            String key = kr.str();
            Row r = row();
            r.set("partition_key", PartitionKeys.keyed(key));
            r.set("service_name", service);
            r.set("service_key", key);
            if (fill(cx, r, service, kr, v)) {
              rows.accept(r.values);
            }
            return true;
          });
    }
  }

  /** The bytes as text when they are valid UTF-8, else null (as restate-server's value_utf8). */
  static String utf8(byte[] v) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(v)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
