package dev.resolute.server.sql;

import static dev.resolute.server.sql.JsonParts.JSON;
import static dev.resolute.server.sql.JsonParts.bytes;
import static dev.resolute.server.sql.JsonParts.failed;
import static dev.resolute.server.sql.JsonParts.success;
import static dev.resolute.server.sql.JsonParts.utf8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.AwakeableId;
import dev.resolute.protocol.pb.AttachInvocationCommandMessage;
import dev.resolute.protocol.pb.CallCommandMessage;
import dev.resolute.protocol.pb.ClearAllStateCommandMessage;
import dev.resolute.protocol.pb.ClearStateCommandMessage;
import dev.resolute.protocol.pb.CompleteAwakeableCommandMessage;
import dev.resolute.protocol.pb.CompletePromiseCommandMessage;
import dev.resolute.protocol.pb.GetEagerStateCommandMessage;
import dev.resolute.protocol.pb.GetEagerStateKeysCommandMessage;
import dev.resolute.protocol.pb.GetInvocationOutputCommandMessage;
import dev.resolute.protocol.pb.GetLazyStateCommandMessage;
import dev.resolute.protocol.pb.GetLazyStateKeysCommandMessage;
import dev.resolute.protocol.pb.GetPromiseCommandMessage;
import dev.resolute.protocol.pb.Header;
import dev.resolute.protocol.pb.IdempotentRequestTarget;
import dev.resolute.protocol.pb.InputCommandMessage;
import dev.resolute.protocol.pb.OneWayCallCommandMessage;
import dev.resolute.protocol.pb.OutputCommandMessage;
import dev.resolute.protocol.pb.PeekPromiseCommandMessage;
import dev.resolute.protocol.pb.RunCommandMessage;
import dev.resolute.protocol.pb.SendSignalCommandMessage;
import dev.resolute.protocol.pb.SetStateCommandMessage;
import dev.resolute.protocol.pb.SleepCommandMessage;
import dev.resolute.protocol.pb.WorkflowTarget;
import dev.resolute.server.pb.AttemptFailed;
import dev.resolute.server.pb.JournalEvent;
import dev.resolute.server.schema.SchemaRegistry;
import java.util.List;
import java.util.Map;

/**
 * {@code sys_journal.entry_json} and {@code entry_lite_json}, and {@code
 * sys_journal_events.event_json}, in restate-server 1.7.12's shapes: its journal v2 entries
 * serialised with serde ({@code
 * {"Command":{"Sleep":{"wake_up_time":…,"completion_id":1,"name":""}}}}, struct fields in
 * declaration order, bytes as arrays of numbers, enums externally tagged) and the lite form that
 * leaves out values, headers and (for a few commands) an empty name. Every command and notification
 * of protocol v4–v6 is rendered; notifications are in {@link NotificationJson}. The official CLI
 * reads {@code entry_json} to describe an entry (a sleep's wake-up time, for one).
 *
 * <p>An entry restate-server could not decode (a result missing where its codec requires one, a
 * state key that is not UTF-8, a call whose callee id is not in the journal) gets null in both
 * columns, as restate-server leaves them then.
 */
final class EntryJson {
  private EntryJson() {}

  /** Both renderings of one entry. */
  record Rendered(String full, String lite) {}

  /**
   * The entry's renderings, or null when it cannot be decoded. {@code callees} maps the
   * invocation-id notification index of each call of this journal to the callee's id; {@code
   * registry} resolves a callee's target type and retentions.
   */
  static Rendered render(
      MessageType type, byte[] payload, Map<Integer, String> callees, SchemaRegistry registry) {
    try {
      if (type.isNotification()) {
        return NotificationJson.render(type, payload);
      }
      return switch (type) {
        case INPUT_COMMAND -> {
          InputCommandMessage m = InputCommandMessage.parseFrom(payload);
          ObjectNode full = JSON.createObjectNode();
          full.set("headers", JsonParts.headers(m.getHeadersList()));
          full.set("payload", bytes(m.getValue().getContent()));
          full.put("name", m.getName());
          yield command("Input", full, JSON.createObjectNode());
        }
        case OUTPUT_COMMAND -> {
          OutputCommandMessage m = OutputCommandMessage.parseFrom(payload);
          ObjectNode full = JSON.createObjectNode();
          ObjectNode lite = JSON.createObjectNode();
          result(
              full,
              lite,
              false,
              m.hasValue() ? m.getValue().getContent() : null,
              m.hasFailure() ? m.getFailure() : null);
          full.put("name", m.getName());
          yield command("Output", full, lite);
        }
        case GET_LAZY_STATE_COMMAND -> {
          GetLazyStateCommandMessage m = GetLazyStateCommandMessage.parseFrom(payload);
          if (!m.getKey().isValidUtf8()) {
            yield null;
          }
          ObjectNode lite = JSON.createObjectNode().put("key", utf8(m.getKey()));
          lite.put("completion_id", m.getResultCompletionId());
          yield command("GetLazyState", named(lite.deepCopy(), m.getName()), lite);
        }
        case SET_STATE_COMMAND -> {
          SetStateCommandMessage m = SetStateCommandMessage.parseFrom(payload);
          if (!m.getKey().isValidUtf8() || !m.hasValue()) {
            yield null;
          }
          ObjectNode lite = JSON.createObjectNode().put("key", utf8(m.getKey()));
          ObjectNode full = lite.deepCopy();
          full.set("value", bytes(m.getValue().getContent()));
          yield command("SetState", named(full, m.getName()), lite);
        }
        case CLEAR_STATE_COMMAND -> {
          ClearStateCommandMessage m = ClearStateCommandMessage.parseFrom(payload);
          if (!m.getKey().isValidUtf8()) {
            yield null;
          }
          ObjectNode lite = JSON.createObjectNode().put("key", utf8(m.getKey()));
          yield command("ClearState", named(lite.deepCopy(), m.getName()), lite);
        }
        case CLEAR_ALL_STATE_COMMAND -> {
          ClearAllStateCommandMessage m = ClearAllStateCommandMessage.parseFrom(payload);
          yield command(
              "ClearAllState",
              named(JSON.createObjectNode(), m.getName()),
              JSON.createObjectNode());
        }
        case GET_LAZY_STATE_KEYS_COMMAND -> {
          GetLazyStateKeysCommandMessage m = GetLazyStateKeysCommandMessage.parseFrom(payload);
          ObjectNode lite = JSON.createObjectNode().put("completion_id", m.getResultCompletionId());
          yield command("GetLazyStateKeys", named(lite.deepCopy(), m.getName()), lite);
        }
        case GET_EAGER_STATE_COMMAND -> {
          GetEagerStateCommandMessage m = GetEagerStateCommandMessage.parseFrom(payload);
          if (!m.getKey().isValidUtf8()) {
            yield null;
          }
          ObjectNode full = JSON.createObjectNode().put("key", utf8(m.getKey()));
          ObjectNode lite = full.deepCopy();
          result(
              full,
              lite,
              m.getResultCase() == GetEagerStateCommandMessage.ResultCase.VOID,
              m.hasValue() ? m.getValue().getContent() : null,
              null);
          yield command("GetEagerState", named(full, m.getName()), lite);
        }
        case GET_EAGER_STATE_KEYS_COMMAND -> {
          GetEagerStateKeysCommandMessage m = GetEagerStateKeysCommandMessage.parseFrom(payload);
          if (!m.hasValue()) {
            yield null;
          }
          ArrayNode keys = stateKeys(m.getValue().getKeysList());
          if (keys == null) {
            yield null;
          }
          ObjectNode full = JSON.createObjectNode();
          full.set("state_keys", keys);
          yield command("GetEagerStateKeys", named(full, m.getName()), JSON.createObjectNode());
        }
        case GET_PROMISE_COMMAND -> {
          GetPromiseCommandMessage m = GetPromiseCommandMessage.parseFrom(payload);
          yield promise("GetPromise", m.getKey(), m.getResultCompletionId(), m.getName());
        }
        case PEEK_PROMISE_COMMAND -> {
          PeekPromiseCommandMessage m = PeekPromiseCommandMessage.parseFrom(payload);
          yield promise("PeekPromise", m.getKey(), m.getResultCompletionId(), m.getName());
        }
        case COMPLETE_PROMISE_COMMAND -> {
          CompletePromiseCommandMessage m = CompletePromiseCommandMessage.parseFrom(payload);
          ObjectNode full = JSON.createObjectNode().put("key", m.getKey());
          switch (m.getCompletionCase()) {
            case COMPLETION_VALUE ->
                full.set("value", success(m.getCompletionValue().getContent()));
            case COMPLETION_FAILURE -> full.set("value", failed(m.getCompletionFailure()));
            default -> throw new Undecodable();
          }
          full.put("completion_id", m.getResultCompletionId());
          ObjectNode lite = JSON.createObjectNode().put("key", m.getKey());
          lite.put("completion_id", m.getResultCompletionId());
          yield command("CompletePromise", named(full, m.getName()), lite);
        }
        case SLEEP_COMMAND -> {
          SleepCommandMessage m = SleepCommandMessage.parseFrom(payload);
          ObjectNode lite = JSON.createObjectNode();
          lite.set("wake_up_time", JsonParts.unsigned(m.getWakeUpTime()));
          lite.put("completion_id", m.getResultCompletionId());
          yield command("Sleep", named(lite.deepCopy(), m.getName()), liteNamed(lite, m.getName()));
        }
        case CALL_COMMAND -> {
          CallCommandMessage m = CallCommandMessage.parseFrom(payload);
          yield call(
              "Call",
              m,
              m.getInvocationIdNotificationIdx(),
              null,
              m.getResultCompletionId(),
              m.getName(),
              callees,
              registry);
        }
        case ONE_WAY_CALL_COMMAND -> {
          OneWayCallCommandMessage m = OneWayCallCommandMessage.parseFrom(payload);
          yield call(
              "OneWayCall",
              m,
              m.getInvocationIdNotificationIdx(),
              m.getInvokeTime(),
              null,
              m.getName(),
              callees,
              registry);
        }
        case SEND_SIGNAL_COMMAND -> {
          SendSignalCommandMessage m = SendSignalCommandMessage.parseFrom(payload);
          ObjectNode signalId = JSON.createObjectNode();
          switch (m.getSignalIdCase()) {
            case IDX -> signalId.put("Index", m.getIdx());
            case NAME -> signalId.put("Name", m.getName());
            default -> throw new Undecodable();
          }
          ObjectNode full =
              JSON.createObjectNode().put("target_invocation_id", m.getTargetInvocationId());
          full.set("signal_id", signalId);
          ObjectNode lite = full.deepCopy();
          result(
              full,
              lite,
              m.getResultCase() == SendSignalCommandMessage.ResultCase.VOID,
              m.hasValue() ? m.getValue().getContent() : null,
              m.hasFailure() ? m.getFailure() : null);
          yield command("SendSignal", named(full, m.getEntryName()), lite);
        }
        case RUN_COMMAND -> {
          RunCommandMessage m = RunCommandMessage.parseFrom(payload);
          ObjectNode lite = JSON.createObjectNode().put("completion_id", m.getResultCompletionId());
          yield command("Run", named(lite.deepCopy(), m.getName()), liteNamed(lite, m.getName()));
        }
        case ATTACH_INVOCATION_COMMAND -> {
          AttachInvocationCommandMessage m = AttachInvocationCommandMessage.parseFrom(payload);
          JsonNode target =
              attachTarget(
                  m.getTargetCase().getNumber(),
                  m.getInvocationId(),
                  m.getIdempotentRequestTarget(),
                  m.getWorkflowTarget());
          yield attach("AttachInvocation", target, m.getResultCompletionId(), m.getName());
        }
        case GET_INVOCATION_OUTPUT_COMMAND -> {
          GetInvocationOutputCommandMessage m =
              GetInvocationOutputCommandMessage.parseFrom(payload);
          JsonNode target =
              attachTarget(
                  m.getTargetCase().getNumber(),
                  m.getInvocationId(),
                  m.getIdempotentRequestTarget(),
                  m.getWorkflowTarget());
          yield attach("GetInvocationOutput", target, m.getResultCompletionId(), m.getName());
        }
        case COMPLETE_AWAKEABLE_COMMAND -> {
          CompleteAwakeableCommandMessage m = CompleteAwakeableCommandMessage.parseFrom(payload);
          ObjectNode full = JSON.createObjectNode().put("id", awakeableId(m.getAwakeableId()));
          ObjectNode lite = full.deepCopy();
          result(
              full,
              lite,
              false,
              m.hasValue() ? m.getValue().getContent() : null,
              m.hasFailure() ? m.getFailure() : null);
          yield command("CompleteAwakeable", named(full, m.getName()), lite);
        }
        default -> null;
      };
    } catch (InvalidProtocolBufferException | Undecodable e) {
      return null;
    }
  }

  /** An entry restate-server's codec would refuse (a required result missing). */
  private static final class Undecodable extends RuntimeException {
    Undecodable() {
      super(null, null, false, false);
    }
  }

  /** Notes the callee id of a {@code CallInvocationId} notification by its completion id. */
  /**
   * A Call ({@code resultId} set) or OneWayCall ({@code invokeTime} set) command, or null when the
   * callee's id is not in the journal. The target, parameter, headers, idempotency key, scope and
   * limit key are read from {@code m} by field name: {@link CallCommandMessage} and {@link
   * OneWayCallCommandMessage} give them the same names (under other numbers).
   */
  private static Rendered call(
      String type,
      Message m,
      int idIdx,
      Long invokeTime,
      Integer resultId,
      String name,
      Map<Integer, String> callees,
      SchemaRegistry registry) {
    String callee = callees.get(idIdx);
    if (callee == null) {
      return null;
    }
    Descriptor d = m.getDescriptorForType();
    String scope = optional(m, d, "scope");
    @SuppressWarnings("unchecked")
    List<Header> headers = (List<Header>) m.getField(d.findFieldByName("headers"));
    Call c =
        new Call(
            callee,
            (String) m.getField(d.findFieldByName("service_name")),
            (String) m.getField(d.findFieldByName("handler_name")),
            (String) m.getField(d.findFieldByName("key")),
            scope != null && !scope.isEmpty() ? scope : null,
            optional(m, d, "limit_key"),
            (ByteString) m.getField(d.findFieldByName("parameter")),
            headers,
            optional(m, d, "idempotency_key"));
    ObjectNode full = JSON.createObjectNode();
    full.set("request", c.request(registry));
    ObjectNode lite = c.lite(registry);
    for (ObjectNode o : List.of(full, lite)) {
      if (invokeTime != null) {
        o.set("invoke_time", JsonParts.unsigned(invokeTime));
      }
      o.put("invocation_id_completion_id", idIdx);
      if (resultId != null) {
        o.put("result_completion_id", resultId);
      }
    }
    full.put("name", name);
    return command(type, full, liteNamed(lite, name));
  }

  /** The optional string field {@code field} of {@code m}, or null when it is not set. */
  private static String optional(Message m, Descriptor d, String field) {
    FieldDescriptor f = d.findFieldByName(field);
    return m.hasField(f) ? (String) m.getField(f) : null;
  }

  static void callee(byte[] payload, Map<Integer, String> callees) {
    NotificationJson.callee(payload, callees);
  }

  /** A call's request and the lite form's leading fields. */
  private record Call(
      String callee,
      String service,
      String handler,
      String key,
      String scope,
      String limitKey,
      ByteString parameter,
      List<Header> headers,
      String idempotencyKey) {

    /**
     * restate-server's {@code CallRequest}: the callee, its target, an empty trace context
     * (restate-server's without tracing), the parameter, headers, idempotency key, retentions, and
     * the limit key when there is one.
     */
    ObjectNode request(SchemaRegistry registry) {
      ObjectNode full = JSON.createObjectNode();
      full.put("invocation_id", callee);
      full.set("invocation_target", JsonParts.target(service, handler, key, scope, registry));
      ObjectNode span = full.putObject("span_context");
      ObjectNode sc = span.putObject("span_context");
      sc.set("trace_id", bytes(ByteString.copyFrom(new byte[16])));
      sc.set("span_id", bytes(ByteString.copyFrom(new byte[8])));
      sc.put("trace_flags", 0);
      sc.put("is_remote", false);
      sc.put("trace_state", "");
      span.putNull("cause");
      full.set("parameter", bytes(parameter));
      full.set("headers", JsonParts.headers(headers));
      full.set("idempotency_key", JsonParts.textOrNull(idempotencyKey));
      JsonParts.Retention r =
          JsonParts.retention(service, handler, idempotencyKey != null, registry);
      full.set("completion_retention_duration", JsonParts.duration(r.completion()));
      full.set("journal_retention_duration", JsonParts.duration(r.journal()));
      if (limitKey != null && !limitKey.isEmpty()) {
        full.put("limit_key", limitKey);
      }
      return full;
    }

    ObjectNode lite(SchemaRegistry registry) {
      ObjectNode lite = JSON.createObjectNode();
      lite.put("invocation_id", callee);
      lite.set("invocation_target", JsonParts.target(service, handler, key, scope, registry));
      return lite;
    }
  }

  /**
   * An awakeable id as restate-server re-renders it after parsing: base64url without padding (the
   * Java SDK sends it padded).
   */
  private static String awakeableId(String id) {
    try {
      return AwakeableId.parse(id).toString();
    } catch (IllegalArgumentException e) {
      throw new Undecodable();
    }
  }

  /** restate's {@code AttachInvocationTarget}, or null when the command has no target. */
  private static JsonNode attachTarget(
      int targetCase, String invocationId, IdempotentRequestTarget idem, WorkflowTarget wf) {
    return switch (targetCase) {
      case 1 -> JSON.createObjectNode().put("InvocationId", invocationId);
      case 3 -> JsonParts.idempotentTarget(idem);
      case 4 -> JsonParts.workflowTarget(wf);
      default -> null;
    };
  }

  private static Rendered attach(String kind, JsonNode target, int completionId, String name) {
    if (target == null) {
      return null;
    }
    ObjectNode lite = JSON.createObjectNode();
    lite.set("target", target);
    lite.put("completion_id", completionId);
    return command(kind, named(lite.deepCopy(), name), lite);
  }

  private static Rendered promise(String kind, String key, int completionId, String name) {
    ObjectNode lite = JSON.createObjectNode().put("key", key);
    lite.put("completion_id", completionId);
    return command(kind, named(lite.deepCopy(), name), lite);
  }

  /** State keys as strings, or null when one is not UTF-8 (restate-server cannot decode it). */
  static ArrayNode stateKeys(List<ByteString> keys) {
    ArrayNode a = JSON.createArrayNode();
    for (ByteString k : keys) {
      if (!k.isValidUtf8()) {
        return null;
      }
      a.add(utf8(k));
    }
    return a;
  }

  /** Appends the command's {@code name} (always present in the full form). */
  private static ObjectNode named(ObjectNode o, String name) {
    return o.put("name", name);
  }

  /** The lite form's {@code name}, left out when empty (Sleep, Call, OneWayCall, Run). */
  private static ObjectNode liteNamed(ObjectNode o, String name) {
    return name.isEmpty() ? o : o.put("name", name);
  }

  /**
   * {@code {"ty":"TransientError","error_code":500,…}} of one journal event, with the related
   * command the deployment named ({@code related}: only its fields 9–11 matter; null for none).
   */
  static String transientError(JournalEvent e, AttemptFailed related) {
    ObjectNode o = JSON.createObjectNode();
    o.put("ty", "TransientError");
    failure(o, e, related);
    return o.toString();
  }

  /**
   * {@code {"ty":"Paused"}} of a pause asked through the admin API, {@code
   * {"ty":"Paused","last_failure":{"error_code":500,…}}} of one after the retries were used up.
   */
  static String paused(JournalEvent e, AttemptFailed related) {
    ObjectNode o = JSON.createObjectNode();
    o.put("ty", "Paused");
    if (e.getErrorCode() != 0 || !e.getErrorMessage().isEmpty()) {
      failure(o.putObject("last_failure"), e, related);
    }
    return o.toString();
  }

  /** restate's {@code TransientErrorEvent} fields. */
  private static void failure(ObjectNode o, JournalEvent e, AttemptFailed related) {
    o.put("error_code", e.getErrorCode());
    o.put("error_message", e.getErrorMessage());
    if (!e.getErrorStacktrace().isEmpty()) {
      o.put("error_stacktrace", e.getErrorStacktrace());
    }
    if (!e.getRestateDocErrorCode().isEmpty()) {
      o.put("restate_doc_error_code", e.getRestateDocErrorCode());
    }
    if (related != null) {
      if (related.hasRelatedCommandIndex()) {
        o.put("related_command_index", related.getRelatedCommandIndex());
      }
      if (related.hasRelatedCommandName()) {
        o.put("related_command_name", related.getRelatedCommandName());
      }
      String type = commandType(related.getRelatedCommandType());
      if (type != null) {
        o.put("related_command_type", type);
      }
    }
  }

  /** restate's {@code CommandType} name of a protocol message type ("Run"), null if no command. */
  static String commandType(int messageType) {
    MessageType t = MessageType.fromCode(messageType);
    if (t == null || !t.isCommand()) {
      return null;
    }
    return JournalTables.entryType(t, messageType).substring("Command: ".length());
  }

  /**
   * {@code sys_invocation.last_failure_related_command_type}: restate-server 1.7.12 shows the
   * related command through its journal v1 entry types, mapping only these (others: null).
   */
  static String legacyEntryType(int messageType) {
    MessageType t = MessageType.fromCode(messageType);
    if (t == null) {
      return null;
    }
    return switch (t) {
      case RUN_COMMAND -> "Run";
      case CALL_COMMAND -> "Call";
      case ONE_WAY_CALL_COMMAND -> "OneWayCall";
      case COMPLETE_AWAKEABLE_COMMAND -> "CompleteAwakeable";
      case SET_STATE_COMMAND -> "SetState";
      case GET_LAZY_STATE_COMMAND, GET_EAGER_STATE_COMMAND -> "GetState";
      case GET_LAZY_STATE_KEYS_COMMAND, GET_EAGER_STATE_KEYS_COMMAND -> "GetStateKeys";
      default -> null;
    };
  }

  /**
   * The {@code result} of a completed command or notification in both renderings: {@code "Void"},
   * the value ({@code "Success"} in the lite one) or the failure ({@code "Failure"}); a result of
   * none of the kinds the message allows is undecodable.
   */
  private static void result(
      ObjectNode full,
      ObjectNode lite,
      boolean isVoid,
      com.google.protobuf.ByteString value,
      dev.resolute.protocol.pb.Failure failure)
      throws Undecodable {
    if (isVoid) {
      full.put("result", "Void");
      lite.put("result", "Void");
    } else if (value != null) {
      full.set("result", success(value));
      lite.put("result", "Success");
    } else if (failure != null) {
      full.set("result", failed(failure));
      lite.put("result", "Failure");
    } else {
      throw new Undecodable();
    }
  }

  static Rendered command(String kind, ObjectNode full, ObjectNode lite) {
    ObjectNode f = JSON.createObjectNode();
    f.putObject("Command").set(kind, full);
    ObjectNode l = JSON.createObjectNode();
    l.putObject("Command").set(kind, lite);
    return new Rendered(f.toString(), l.toString());
  }
}
