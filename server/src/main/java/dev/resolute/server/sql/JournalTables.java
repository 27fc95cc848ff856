package dev.resolute.server.sql;

import static dev.resolute.server.sql.ColumnType.BINARY;
import static dev.resolute.server.sql.ColumnType.BOOL;
import static dev.resolute.server.sql.ColumnType.TIMESTAMP_MS;
import static dev.resolute.server.sql.ColumnType.U32;
import static dev.resolute.server.sql.ColumnType.U64;
import static dev.resolute.server.sql.ColumnType.UTF8;

import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.pb.AttemptFailed;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.JournalEvent;
import dev.resolute.server.storage.Keys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code sys_journal} (the journal of each invocation, entries as restate-server's journal v2 shows
 * them: {@code Command: Run}, {@code Notification: Call}, with {@code entry_json}/{@code
 * entry_lite_json} from {@link EntryJson}) and {@code sys_journal_events} (the {@code
 * TransientError} and {@code Paused} events kept in each invocation's status). A filter on {@code
 * id} is a prefix scan of that invocation's journal, or one status read.
 */
final class JournalTables {
  private JournalTables() {}

  static SysTable journal() {
    return new SysTable(
        "sys_journal",
        List.of(
            Column.of("partition_key", U64),
            Column.of("id", UTF8),
            Column.of("index", U32),
            Column.of("entry_type", UTF8),
            Column.of("name", UTF8),
            Column.of("completed", BOOL),
            Column.of("invoked_id", UTF8),
            Column.of("invoked_target", UTF8),
            Column.of("sleep_wakeup_at", TIMESTAMP_MS),
            Column.of("promise_name", UTF8),
            Column.of("raw", BINARY),
            Column.of("raw_length", U64),
            Column.of("version", U32),
            Column.of("entry_json", UTF8),
            Column.of("entry_lite_json", UTF8),
            Column.of("appended_at", TIMESTAMP_MS))) {
      @Override
      void scan(QueryContext cx, Pushdown filter, Consumer<Object[]> rows) {
        Set<String> ids = filter.strings("id");
        if (ids != null) {
          for (String text : ids) {
            int p = cx.partitionOfId(text);
            if (p >= 0) {
              byte[] prefix =
                  Keys.of(p, Keys.JOURNAL).bytes(InvocationId.parse(text).toBytes()).build();
              scanPrefix(cx, prefix, rows);
            }
          }
          return;
        }
        Set<Long> partitionKeys = Scans.invocationPartitionKeys(filter, null);
        if (partitionKeys != null) {
          for (long pk : partitionKeys) {
            int p = cx.partitioning.partitionOf(pk);
            scanPrefix(cx, Keys.of(p, Keys.JOURNAL).u64(pk).build(), rows);
          }
          return;
        }
        for (int p : Scans.partitions(cx, filter)) {
          scanPrefix(cx, Keys.of(p, Keys.JOURNAL).build(), rows);
        }
      }

      /**
       * Rows of one invocation are emitted together once its journal has been read: a call's {@code
       * entry_json} names the callee's id, which the journal holds in a later notification.
       */
      private void scanPrefix(QueryContext cx, byte[] prefix, Consumer<Object[]> rows) {
        List<Pending> pending = new ArrayList<>();
        Map<Integer, String> callees = new HashMap<>();
        InvocationId[] current = {null};
        cx.reader()
            .scan(
                prefix,
                (k, v) -> {
                  cx.check();
                  Scans.KeyReader kr = new Scans.KeyReader(k);
                  InvocationId id = InvocationId.fromBytes(kr.bytes(InvocationId.RAW_SIZE));
                  int index = kr.u32();
                  if (!id.equals(current[0])) {
                    flush(cx, pending, callees, rows);
                    current[0] = id;
                  }
                  JournalEntry e;
                  try {
                    e = JournalEntry.parseFrom(v);
                  } catch (InvalidProtocolBufferException ex) {
                    throw new IllegalStateException("unreadable journal entry", ex);
                  }
                  MessageType type = MessageType.fromCode(e.getType());
                  byte[] payload = e.getPayload().toByteArray();
                  Row r = row();
                  r.set("partition_key", id.partitionKey());
                  r.set("id", id.toString());
                  r.set("index", index);
                  r.set("entry_type", entryType(type, e.getType()));
                  if (type != null && type.isCommand()) {
                    r.set("name", commandName(type, payload));
                  }
                  if (type == MessageType.CALL_INVOCATION_ID_COMPLETION) {
                    EntryJson.callee(payload, callees);
                  }
                  r.set("raw", payload);
                  r.set("raw_length", (long) payload.length);
                  r.set("version", 2);
                  r.time("appended_at", e.getAppendedAt());
                  pending.add(new Pending(r, type, payload));
                  return true;
                });
        flush(cx, pending, callees, rows);
      }

      private void flush(
          QueryContext cx,
          List<Pending> pending,
          Map<Integer, String> callees,
          Consumer<Object[]> rows) {
        for (Pending p : pending) {
          if (p.type() != null) {
            EntryJson.Rendered json = EntryJson.render(p.type(), p.payload(), callees, cx.registry);
            if (json != null) {
              p.row().set("entry_json", json.full());
              p.row().set("entry_lite_json", json.lite());
            }
          }
          rows.accept(p.row().values);
        }
        pending.clear();
        callees.clear();
      }
    };
  }

  /** A journal row read, its entry rendered once the whole journal of its invocation is read. */
  private record Pending(SysTable.Row row, MessageType type, byte[] payload) {}

  static SysTable events() {
    return new SysTable(
        "sys_journal_events",
        List.of(
            Column.of("partition_key", U64),
            Column.of("id", UTF8),
            Column.of("after_journal_entry_index", U32),
            Column.of("appended_at", TIMESTAMP_MS),
            Column.of("event_type", UTF8),
            Column.of("event_json", UTF8))) {
      @Override
      void scan(QueryContext cx, Pushdown filter, Consumer<Object[]> rows) {
        InvocationTables.statuses(
            cx,
            filter,
            (id, st) -> {
              for (int i = 0; i < st.getJournalEventsCount(); i++) {
                JournalEvent e = st.getJournalEvents(i);
                AttemptFailed related =
                    i < st.getJournalEventRelatedCount() ? st.getJournalEventRelated(i) : null;
                Row r = row();
                r.set("partition_key", id.partitionKey());
                r.set("id", id.toString());
                r.set("after_journal_entry_index", e.getAfterJournalEntryIndex());
                r.time("appended_at", e.getAppendedAt());
                boolean paused =
                    i < st.getJournalEventTypeCount() && st.getJournalEventType(i) == 2;
                r.set("event_type", paused ? "Paused" : "TransientError");
                r.set(
                    "event_json",
                    paused ? EntryJson.paused(e, related) : EntryJson.transientError(e, related));
                rows.accept(r.values);
              }
            });
      }
    };
  }

  /** {@code Command: GetLazyState}, {@code Notification: CallInvocationId}, as restate-server. */
  static String entryType(MessageType type, int code) {
    if (type == null) {
      return "Custom: " + code;
    }
    String n = type.name();
    String kind;
    if (type.isCommand()) {
      kind = "Command";
      n = n.substring(0, n.length() - "_COMMAND".length());
    } else if (type == MessageType.SIGNAL_NOTIFICATION) {
      kind = "Notification";
      n = "SIGNAL";
    } else {
      kind = "Notification";
      n = n.substring(0, n.lastIndexOf('_'));
    }
    StringBuilder out = new StringBuilder(kind).append(": ");
    for (String part : n.split("_")) {
      out.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }

  /**
   * The command's {@code name} field ("" when unset; a signal's is {@code entry_name}), or null
   * when it has none.
   */
  private static String commandName(MessageType type, byte[] payload) {
    try {
      MessageLite m = type.parse(payload);
      if (m instanceof dev.resolute.protocol.pb.SendSignalCommandMessage s) {
        return s.getEntryName();
      }
      if (m instanceof Message full) {
        Descriptors.FieldDescriptor f = full.getDescriptorForType().findFieldByName("name");
        if (f != null && f.getType() == Descriptors.FieldDescriptor.Type.STRING) {
          return (String) full.getField(f);
        }
      }
      return null;
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }
}
