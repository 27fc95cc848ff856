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
    return new SysTable(
        "state",
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
      void scan(QueryContext cx, Pushdown filter, Consumer<Object[]> rows) {
        Scans.keyed(
            cx,
            filter,
            Keys.STATE,
            (k, v) -> {
              Scans.KeyReader kr = new Scans.KeyReader(k);
              String service = kr.str();
              String key = kr.str();
              byte[] name = kr.lenBytes();
              Row r = row();
              r.set("partition_key", PartitionKeys.keyed(key));
              r.set("service_name", service);
              r.set("service_key", key);
              r.set("key", new String(name, StandardCharsets.UTF_8));
              r.set("key_length", (long) name.length);
              r.set("value_utf8", utf8(v));
              r.set("value", v);
              r.set("value_length", (long) v.length);
              rows.accept(r.values);
              return true;
            });
      }
    };
  }

  static SysTable inbox() {
    return new SysTable(
        "sys_inbox",
        List.of(
            Column.of("partition_key", U64),
            Column.of("service_name", UTF8),
            Column.of("service_key", UTF8),
            Column.of("id", UTF8),
            Column.of("sequence_number", U64),
            Column.of("created_at", TIMESTAMP_MS))) {
      @Override
      void scan(QueryContext cx, Pushdown filter, Consumer<Object[]> rows) {
        Scans.keyed(
            cx,
            filter,
            Keys.INBOX,
            (k, v) -> {
              Scans.KeyReader kr = new Scans.KeyReader(k);
              String service = kr.str();
              String key = kr.str();
              long seq = kr.u64();
              if (v.length != InvocationId.RAW_SIZE) {
                return true; // a state mutation waiting for the lock, not an invocation
              }
              Row r = row();
              r.set("partition_key", PartitionKeys.keyed(key));
              r.set("service_name", service);
              r.set("service_key", key);
              r.set("id", InvocationId.fromBytes(v).toString());
              r.set("sequence_number", seq);
              rows.accept(r.values);
              return true;
            });
      }
    };
  }

  static SysTable keyedServiceStatus() {
    return new SysTable(
        "sys_keyed_service_status",
        List.of(
            Column.of("partition_key", U64),
            Column.of("service_name", UTF8),
            Column.of("service_key", UTF8),
            Column.of("invocation_id", UTF8))) {
      @Override
      void scan(QueryContext cx, Pushdown filter, Consumer<Object[]> rows) {
        Scans.keyed(
            cx,
            filter,
            Keys.LOCK,
            (k, v) -> {
              Scans.KeyReader kr = new Scans.KeyReader(k);
              String service = kr.str();
              String key = kr.str();
              if (isWorkflow(cx, service)) {
                // restate-server lists only virtual objects' keys: a workflow run's lock is not
                // a keyed service status there
                return true;
              }
              Row r = row();
              r.set("partition_key", PartitionKeys.keyed(key));
              r.set("service_name", service);
              r.set("service_key", key);
              r.set("invocation_id", InvocationId.fromBytes(v).toString());
              rows.accept(r.values);
              return true;
            });
      }
    };
  }

  private static boolean isWorkflow(QueryContext cx, String service) {
    return cx.registry.service(service).map(sv -> sv.type() == ServiceType.WORKFLOW).orElse(false);
  }

  static SysTable promise() {
    return new SysTable(
        "sys_promise",
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
      void scan(QueryContext cx, Pushdown filter, Consumer<Object[]> rows) {
        Scans.keyed(
            cx,
            filter,
            Keys.PROMISE,
            (k, v) -> {
              Scans.KeyReader kr = new Scans.KeyReader(k);
              String service = kr.str();
              String key = kr.str();
              String name = kr.str();
              Promise pr;
              try {
                pr = Promise.parseFrom(v);
              } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("unreadable promise", e);
              }
              Row r = row();
              r.set("partition_key", PartitionKeys.keyed(key));
              r.set("service_name", service);
              r.set("service_key", key);
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
              rows.accept(r.values);
              return true;
            });
      }
    };
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
