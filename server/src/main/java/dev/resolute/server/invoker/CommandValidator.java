package dev.resolute.server.invoker;

import com.google.protobuf.MessageLite;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.AwakeableId;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.AttachInvocationCommandMessage;
import dev.resolute.protocol.pb.CallCommandMessage;
import dev.resolute.protocol.pb.CompleteAwakeableCommandMessage;
import dev.resolute.protocol.pb.GetInvocationOutputCommandMessage;
import dev.resolute.protocol.pb.OneWayCallCommandMessage;
import dev.resolute.protocol.pb.SendSignalCommandMessage;
import dev.resolute.server.api.ErrorCode;
import dev.resolute.server.partition.Targets;
import dev.resolute.server.pb.InvokerEvent;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.Schemas;
import dev.resolute.server.schema.ServiceSchema;

/**
 * Checks a command from the deployment against the schemas before it becomes a log record: call
 * targets must exist (and are resolved into the event, so apply needs no schema lookup), ids must
 * parse. A command that fails here fails the attempt and is never stored.
 */
final class CommandValidator {
  private final Schemas schemas;

  CommandValidator(Schemas schemas) {
    this.schemas = schemas;
  }

  /**
   * Validates {@code m} of type {@code type}; for calls, sets the resolved target and its
   * completion retention on {@code ev}. Returns a description of the problem, or null.
   */
  String validate(MessageType type, MessageLite m, InvokerEvent.Builder ev) {
    try {
      switch (type) {
        case CALL_COMMAND -> {
          CallCommandMessage c = (CallCommandMessage) m;
          return resolveTarget(
              c.getServiceName(),
              c.getHandlerName(),
              c.getKey(),
              c.hasIdempotencyKey() ? c.getIdempotencyKey() : null,
              ev);
        }
        case ONE_WAY_CALL_COMMAND -> {
          OneWayCallCommandMessage c = (OneWayCallCommandMessage) m;
          return resolveTarget(
              c.getServiceName(),
              c.getHandlerName(),
              c.getKey(),
              c.hasIdempotencyKey() ? c.getIdempotencyKey() : null,
              ev);
        }
        case SEND_SIGNAL_COMMAND ->
            InvocationId.parse(((SendSignalCommandMessage) m).getTargetInvocationId());
        case COMPLETE_AWAKEABLE_COMMAND -> {
          AwakeableId a = AwakeableId.parse(((CompleteAwakeableCommandMessage) m).getAwakeableId());
          if (a.kind() != AwakeableId.Kind.SIGNAL) {
            return "legacy awakeable ids (prom_1...) are not supported";
          }
        }
        case ATTACH_INVOCATION_COMMAND -> {
          AttachInvocationCommandMessage a = (AttachInvocationCommandMessage) m;
          return checkAttachTarget(
              a.getTargetCase() == AttachInvocationCommandMessage.TargetCase.INVOCATION_ID
                  ? a.getInvocationId()
                  : null,
              a.getTargetCase().getNumber());
        }
        case GET_INVOCATION_OUTPUT_COMMAND -> {
          GetInvocationOutputCommandMessage g = (GetInvocationOutputCommandMessage) m;
          return checkAttachTarget(
              g.getTargetCase() == GetInvocationOutputCommandMessage.TargetCase.INVOCATION_ID
                  ? g.getInvocationId()
                  : null,
              g.getTargetCase().getNumber());
        }
        default -> {}
      }
    } catch (IllegalArgumentException e) {
      return "invalid " + type + ": " + e.getMessage();
    }
    return null;
  }

  /** Attach/GetInvocationOutput: the target must be set; an invocation id must parse. */
  private static String checkAttachTarget(String invocationId, int targetCase) {
    if (targetCase == 0) {
      return "the target of the attach/get-output command is missing";
    }
    if (invocationId != null) {
      InvocationId.parse(invocationId);
    }
    return null;
  }

  private String resolveTarget(
      String svc, String handlerName, String key, String idempotencyKey, InvokerEvent.Builder ev) {
    ServiceSchema s = schemas.service(svc).orElse(null);
    if (s == null || s.handler(handlerName) == null) {
      return ErrorCode.RT0018.code() + ": target " + svc + "/" + handlerName + " does not exist";
    }
    if (s.type().isKeyed() == key.isEmpty() && s.type().isKeyed()) {
      return "target " + svc + " needs a key";
    }
    if (idempotencyKey != null && idempotencyKey.isEmpty()) {
      return "the idempotency key must not be empty";
    }
    HandlerSchema h = s.handler(handlerName);
    ev.setCallTarget(Targets.of(s, h, s.type().isKeyed() ? key : null));
    ev.setCompletionRetentionMillis(Targets.retentionMillis(s, h, idempotencyKey != null));
    return null;
  }
}
