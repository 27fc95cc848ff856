package dev.resolute.server.sql;

import static dev.resolute.server.sql.ColumnType.TIMESTAMP_MS;
import static dev.resolute.server.sql.ColumnType.U64;
import static dev.resolute.server.sql.ColumnType.UTF8;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.server.pb.Schedule;
import dev.resolute.server.storage.Keys;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code sys_schedule}: the cron schedules (our extension; restate-server has no such table), one
 * row per schedule from the partition of its id. A filter on {@code id} reads only the partitions
 * of those ids.
 */
final class ScheduleTables {
  private ScheduleTables() {}

  static SysTable schedule() {
    return new SysTable(
        "sys_schedule",
        List.of(
            Column.of("partition_key", U64),
            Column.of("id", UTF8),
            Column.of("cron", UTF8),
            Column.of("timezone", UTF8),
            Column.of("target", UTF8),
            Column.of("target_service_name", UTF8),
            Column.of("target_service_key", UTF8),
            Column.of("target_handler_name", UTF8),
            Column.of("catch_up", UTF8),
            Column.of("next_fire", TIMESTAMP_MS),
            Column.of("last_fire", TIMESTAMP_MS),
            Column.of("created_at", TIMESTAMP_MS),
            Column.of("fired", U64),
            Column.of("skipped", U64))) {
      @Override
      void scan(QueryContext cx, Pushdown filter, Consumer<Object[]> rows) {
        Set<String> ids = filter.strings("id");
        Set<Integer> partitions = cx.partitionsOfKeys(ids);
        partitions.retainAll(Scans.partitions(cx, filter));
        for (int p : partitions) {
          cx.reader()
              .scan(
                  Keys.of(p, Keys.SCHEDULE).build(),
                  (k, v) -> {
                    cx.check();
                    Schedule s = parse(v);
                    if (ids == null || ids.contains(s.getId())) {
                      rows.accept(ScheduleTables.row(this, s));
                    }
                    return true;
                  });
        }
      }
    };
  }

  private static Object[] row(SysTable t, Schedule s) {
    SysTable.Row r = t.row();
    String service = s.getTarget().getService();
    String handler = s.getTarget().getHandler();
    boolean keyed = s.getTarget().getKeyed();
    r.set("partition_key", PartitionKeys.keyed(s.getId()));
    r.set("id", s.getId());
    r.set("cron", s.getCron());
    r.set("timezone", s.getTimezone().isEmpty() ? "UTC" : s.getTimezone());
    r.set("target", service + "/" + handler + (keyed ? "/" + s.getTarget().getKey() : ""));
    r.set("target_service_name", service);
    r.set("target_service_key", keyed ? s.getTarget().getKey() : null);
    r.set("target_handler_name", handler);
    r.set("catch_up", s.getCatchUp().name().toLowerCase(Locale.ROOT));
    r.set("next_fire", s.getNextFire() < 0 ? null : s.getNextFire());
    r.time("last_fire", s.getLastFire());
    r.time("created_at", s.getCreatedAt());
    r.set("fired", s.getFired());
    r.set("skipped", s.getSkipped());
    return r.values;
  }

  private static Schedule parse(byte[] v) {
    try {
      return Schedule.parseFrom(v);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt stored schedule", e);
    }
  }
}
