package dev.resolute.server.sql;

import static dev.resolute.server.sql.ColumnType.BOOL;
import static dev.resolute.server.sql.ColumnType.LIST_UTF8;
import static dev.resolute.server.sql.ColumnType.TIMESTAMP_MS;
import static dev.resolute.server.sql.ColumnType.U32;
import static dev.resolute.server.sql.ColumnType.U64;
import static dev.resolute.server.sql.ColumnType.UTF8;

import dev.resolute.server.schema.DeploymentSchema;
import dev.resolute.server.schema.ServiceSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** {@code sys_service} and {@code sys_deployment}, read from the schema registry. */
final class RegistryTables {
  private RegistryTables() {}

  static SysTable services() {
    return new SysTable(
        "sys_service",
        List.of(
            Column.of("name", UTF8),
            Column.of("revision", U64),
            Column.of("public", BOOL),
            Column.of("ty", UTF8),
            Column.of("deployment_id", UTF8))) {
      @Override
      void scan(QueryContext cx, Pushdown filter, Consumer<Object[]> rows) {
        for (ServiceSchema s : cx.registry.services()) {
          Row r = row();
          r.set("name", s.name());
          r.set("revision", (long) s.revision());
          r.set("public", s.isPublic());
          r.set(
              "ty",
              switch (s.type()) {
                case SERVICE -> "service";
                case VIRTUAL_OBJECT -> "virtual_object";
                case WORKFLOW -> "workflow";
              });
          r.set("deployment_id", s.deploymentId());
          rows.accept(r.values);
        }
      }
    };
  }

  static SysTable deployments() {
    return new SysTable(
        "sys_deployment",
        List.of(
            Column.of("id", UTF8),
            Column.of("ty", UTF8),
            Column.of("endpoint", UTF8),
            Column.of("created_at", TIMESTAMP_MS),
            Column.of("min_service_protocol_version", U32),
            Column.of("max_service_protocol_version", U32),
            Column.of("services", LIST_UTF8))) {
      @Override
      void scan(QueryContext cx, Pushdown filter, Consumer<Object[]> rows) {
        for (DeploymentSchema d : cx.registry.deployments()) {
          Row r = row();
          r.set("id", d.id());
          r.set("ty", "http");
          r.set("endpoint", d.uri());
          r.time("created_at", d.createdAtMillis());
          r.set("min_service_protocol_version", d.minProtocolVersion());
          r.set("max_service_protocol_version", d.maxProtocolVersion());
          List<Object> names = new ArrayList<>();
          for (DeploymentSchema.ServiceRevision s : d.services()) {
            names.add(s.name());
          }
          r.set("services", names);
          rows.accept(r.values);
        }
      }
    };
  }
}
