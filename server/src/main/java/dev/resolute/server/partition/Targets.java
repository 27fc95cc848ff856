package dev.resolute.server.partition;

import dev.resolute.server.pb.Target;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.HandlerType;
import dev.resolute.server.schema.ServiceSchema;
import dev.resolute.server.schema.ServiceType;
import java.time.Duration;

/**
 * Builds stored targets from the schema: which invocations take the per-key lock, and retention.
 */
public final class Targets {
  private Targets() {}

  public static Target of(ServiceSchema service, HandlerSchema handler, String key) {
    Target.Kind kind = Target.Kind.SHARED;
    if (service.type() == ServiceType.VIRTUAL_OBJECT && handler.type() != HandlerType.SHARED) {
      kind = Target.Kind.EXCLUSIVE;
    } else if (service.type() == ServiceType.WORKFLOW && handler.type() == HandlerType.WORKFLOW) {
      kind = Target.Kind.WORKFLOW_RUN;
    }
    return Target.newBuilder()
        .setService(service.name())
        .setHandler(handler.name())
        .setKey(key == null ? "" : key)
        .setKeyed(service.type().isKeyed())
        .setKind(kind)
        .build();
  }

  /** How long a completed invocation is kept (for attach/output and deduplication). */
  public static long retentionMillis(
      ServiceSchema service, HandlerSchema handler, boolean idempotent) {
    Duration d;
    if (service.type() == ServiceType.WORKFLOW && handler.type() == HandlerType.WORKFLOW) {
      d = handler.workflowCompletionRetention();
    } else if (idempotent) {
      d = handler.idempotencyRetention();
    } else {
      d = handler.journalRetention();
    }
    return d == null ? StateMachine.DEFAULT_RETENTION_MILLIS : Math.max(1, d.toMillis());
  }
}
