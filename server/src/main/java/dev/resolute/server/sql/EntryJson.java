package dev.resolute.server.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.pb.CallCommandMessage;
import dev.resolute.protocol.pb.GetEagerStateCommandMessage;
import dev.resolute.protocol.pb.GetPromiseCommandMessage;
import dev.resolute.protocol.pb.Header;
import dev.resolute.protocol.pb.InputCommandMessage;
import dev.resolute.protocol.pb.NotificationTemplate;
import dev.resolute.protocol.pb.OneWayCallCommandMessage;
import dev.resolute.protocol.pb.OutputCommandMessage;
import dev.resolute.protocol.pb.RunCommandMessage;
import dev.resolute.protocol.pb.SetStateCommandMessage;
import dev.resolute.protocol.pb.SleepCommandMessage;
import dev.resolute.server.pb.JournalEvent;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.schema.ServiceSchema;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code sys_journal.entry_json} and {@code entry_lite_json}, and {@code
 * sys_journal_events.event_json}, in restate-server 1.7.12's shapes (its journal entries serialised
 * with serde: {@code {"Command":{"Sleep":{"wake_up_time":…,"completion_id":1,"name":""}}}}, bytes
 * as arrays of numbers; the lite form leaves out values and headers). The official CLI reads {@code
 * entry_json} to describe an entry (a sleep's wake-up time, for one).
 *
 * <p>Only the shapes observed from restate-server are rendered (Input, Output and Run/Call
 * notifications with a value, Run, Sleep, SetState, GetEagerState of an absent value, GetPromise,
 * Call and OneWayCall to a plain service, Sleep and CallInvocationId notifications); any other
 * entry, a call to an object or workflow, or a failure result, gets null in both columns rather
 * than a guess the CLI might misread (the CLI then shows the entry by its type alone, as it did
 * before these columns were filled).
 */
final class EntryJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EntryJson() {}

  /** Both renderings of one entry. */
  record Rendered(String full, String lite) {}

  /**
   * The entry's renderings, or null when its shape is not one restate-server was seen to use.
   * {@code callees} maps the invocation-id notification index of each call of this journal to the
   * callee's id; {@code registry} gives a callee's retentions.
   */
  static Rendered render(
      MessageType type, byte[] payload, Map<Integer, String> callees, SchemaRegistry registry) {
    try {
      return switch (type) {
        case CALL_COMMAND -> {
          CallCommandMessage m = CallCommandMessage.parseFrom(payload);
          String callee = callees.get(m.getInvocationIdNotificationIdx());
          if (callee == null || !m.getKey().isEmpty()) {
            yield null;
          }
          Request r =
              request(
                  callee,
                  m.getServiceName(),
                  m.getHandlerName(),
                  m.getParameter(),
                  m.getHeadersList(),
                  m.hasIdempotencyKey() ? m.getIdempotencyKey() : null,
                  registry);
          ObjectNode full = JSON.createObjectNode();
          full.set("request", r.full());
          full.put("invocation_id_completion_id", m.getInvocationIdNotificationIdx());
          full.put("result_completion_id", m.getResultCompletionId());
          full.put("name", m.getName());
          ObjectNode lite = r.lite();
          lite.put("invocation_id_completion_id", m.getInvocationIdNotificationIdx());
          lite.put("result_completion_id", m.getResultCompletionId());
          yield command("Call", full, lite);
        }
        case ONE_WAY_CALL_COMMAND -> {
          OneWayCallCommandMessage m = OneWayCallCommandMessage.parseFrom(payload);
          String callee = callees.get(m.getInvocationIdNotificationIdx());
          if (callee == null || !m.getKey().isEmpty()) {
            yield null;
          }
          Request r =
              request(
                  callee,
                  m.getServiceName(),
                  m.getHandlerName(),
                  m.getParameter(),
                  m.getHeadersList(),
                  m.hasIdempotencyKey() ? m.getIdempotencyKey() : null,
                  registry);
          ObjectNode full = JSON.createObjectNode();
          full.set("request", r.full());
          full.put("invoke_time", m.getInvokeTime());
          full.put("invocation_id_completion_id", m.getInvocationIdNotificationIdx());
          full.put("name", m.getName());
          ObjectNode lite = r.lite();
          lite.put("invoke_time", m.getInvokeTime());
          lite.put("invocation_id_completion_id", m.getInvocationIdNotificationIdx());
          yield command("OneWayCall", full, lite);
        }
        case INPUT_COMMAND -> input(InputCommandMessage.parseFrom(payload));
        case OUTPUT_COMMAND -> output(OutputCommandMessage.parseFrom(payload));
        case RUN_COMMAND -> {
          RunCommandMessage m = RunCommandMessage.parseFrom(payload);
          ObjectNode body = JSON.createObjectNode();
          body.put("completion_id", m.getResultCompletionId());
          body.put("name", m.getName());
          yield command("Run", body, body);
        }
        case SLEEP_COMMAND -> {
          SleepCommandMessage m = SleepCommandMessage.parseFrom(payload);
          ObjectNode lite = JSON.createObjectNode();
          lite.put("wake_up_time", m.getWakeUpTime());
          lite.put("completion_id", m.getResultCompletionId());
          yield command("Sleep", lite.deepCopy().put("name", m.getName()), lite);
        }
        case SET_STATE_COMMAND -> {
          SetStateCommandMessage m = SetStateCommandMessage.parseFrom(payload);
          ObjectNode lite = JSON.createObjectNode().put("key", utf8(m.getKey()));
          ObjectNode full = lite.deepCopy();
          full.set("value", bytes(m.getValue().getContent()));
          full.put("name", m.getName());
          yield command("SetState", full, lite);
        }
        case GET_EAGER_STATE_COMMAND -> {
          GetEagerStateCommandMessage m = GetEagerStateCommandMessage.parseFrom(payload);
          if (!m.hasVoid()) {
            yield null;
          }
          ObjectNode lite = JSON.createObjectNode().put("key", utf8(m.getKey()));
          lite.put("result", "Void");
          yield command("GetEagerState", lite.deepCopy().put("name", m.getName()), lite);
        }
        case GET_PROMISE_COMMAND -> {
          GetPromiseCommandMessage m = GetPromiseCommandMessage.parseFrom(payload);
          ObjectNode lite = JSON.createObjectNode().put("key", m.getKey());
          lite.put("completion_id", m.getResultCompletionId());
          yield command("GetPromise", lite.deepCopy().put("name", m.getName()), lite);
        }
        case RUN_COMPLETION -> valueNotification("Run", NotificationTemplate.parseFrom(payload));
        case CALL_COMPLETION -> valueNotification("Call", NotificationTemplate.parseFrom(payload));
        case SLEEP_COMPLETION -> {
          NotificationTemplate n = NotificationTemplate.parseFrom(payload);
          if (!n.hasVoid() || !n.hasCompletionId()) {
            yield null;
          }
          ObjectNode body = JSON.createObjectNode().put("completion_id", n.getCompletionId());
          yield notification("Sleep", body, n.getCompletionId(), "Void");
        }
        case CALL_INVOCATION_ID_COMPLETION -> {
          NotificationTemplate n = NotificationTemplate.parseFrom(payload);
          if (!n.hasCompletionId() || n.getInvocationId().isEmpty()) {
            yield null;
          }
          ObjectNode body = JSON.createObjectNode().put("completion_id", n.getCompletionId());
          body.put("invocation_id", n.getInvocationId());
          yield notification("CallInvocationId", body, n.getCompletionId(), "InvocationId");
        }
        default -> null;
      };
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /** Notes the callee id of a {@code CallInvocationId} notification by its completion id. */
  static void callee(byte[] payload, Map<Integer, String> callees) {
    try {
      NotificationTemplate n = NotificationTemplate.parseFrom(payload);
      if (n.hasCompletionId() && !n.getInvocationId().isEmpty()) {
        callees.put(n.getCompletionId(), n.getInvocationId());
      }
    } catch (InvalidProtocolBufferException e) {
      // not readable: the call is shown without its callee
    }
  }

  /** A call's request: in full, and the lite form's leading fields. */
  private record Request(ObjectNode full, ObjectNode lite) {}

  /**
   * A call to a plain service (the only target shape rendered): the callee, its target, an empty
   * trace context (restate-server's without tracing), the parameter, headers, idempotency key and
   * the callee's retentions from its schema.
   */
  private static Request request(
      String callee,
      String service,
      String handler,
      ByteString parameter,
      List<Header> headerList,
      String idempotencyKey,
      SchemaRegistry registry) {
    ObjectNode target = JSON.createObjectNode();
    ObjectNode svc = target.putObject("Service");
    svc.put("name", service);
    svc.put("handler", handler);
    svc.putNull("scope");
    ObjectNode full = JSON.createObjectNode();
    full.put("invocation_id", callee);
    full.set("invocation_target", target);
    ObjectNode span = full.putObject("span_context");
    ObjectNode sc = span.putObject("span_context");
    sc.set("trace_id", bytes(ByteString.copyFrom(new byte[16])));
    sc.set("span_id", bytes(ByteString.copyFrom(new byte[8])));
    sc.put("trace_flags", 0);
    sc.put("is_remote", false);
    sc.put("trace_state", "");
    span.putNull("cause");
    full.set("parameter", bytes(parameter));
    ArrayNode headers = full.putArray("headers");
    for (Header h : headerList) {
      headers.addObject().put("name", h.getKey()).put("value", h.getValue());
    }
    if (idempotencyKey == null) {
      full.putNull("idempotency_key");
    } else {
      full.put("idempotency_key", idempotencyKey);
    }
    Duration journal = null;
    Duration idempotency = null;
    ServiceSchema s = registry.service(service).orElse(null);
    if (s != null) {
      HandlerSchema h = s.handler(handler);
      journal =
          h != null && h.journalRetention() != null ? h.journalRetention() : s.journalRetention();
      idempotency =
          h != null && h.idempotencyRetention() != null
              ? h.idempotencyRetention()
              : s.idempotencyRetention();
    }
    full.set(
        "completion_retention_duration",
        duration(idempotencyKey != null && idempotency != null ? idempotency : journal));
    full.set("journal_retention_duration", duration(journal));
    ObjectNode lite = JSON.createObjectNode();
    lite.put("invocation_id", callee);
    lite.set("invocation_target", target.deepCopy());
    return new Request(full, lite);
  }

  private static ObjectNode duration(Duration d) {
    Duration v = d == null ? Duration.ZERO : d;
    return JSON.createObjectNode().put("secs", v.getSeconds()).put("nanos", v.getNano());
  }

  /** {@code {"ty":"TransientError","error_code":500,…}} of one journal event. */
  static String transientError(JournalEvent e) {
    ObjectNode o = JSON.createObjectNode();
    o.put("ty", "TransientError");
    o.put("error_code", e.getErrorCode());
    o.put("error_message", e.getErrorMessage());
    if (!e.getErrorStacktrace().isEmpty()) {
      o.put("error_stacktrace", e.getErrorStacktrace());
    }
    if (!e.getRestateDocErrorCode().isEmpty()) {
      o.put("restate_doc_error_code", e.getRestateDocErrorCode());
    }
    return o.toString();
  }

  private static Rendered input(InputCommandMessage m) {
    ObjectNode full = JSON.createObjectNode();
    ArrayNode headers = full.putArray("headers");
    for (Header h : m.getHeadersList()) {
      headers.addObject().put("name", h.getKey()).put("value", h.getValue());
    }
    full.set("payload", bytes(m.getValue().getContent()));
    full.put("name", m.getName());
    return command("Input", full, JSON.createObjectNode());
  }

  private static Rendered output(OutputCommandMessage m) {
    if (!m.hasValue()) {
      return null;
    }
    ObjectNode full = JSON.createObjectNode();
    full.putObject("result").set("Success", bytes(m.getValue().getContent()));
    full.put("name", m.getName());
    ObjectNode lite = JSON.createObjectNode().put("result", "Success");
    return command("Output", full, lite);
  }

  private static Rendered valueNotification(String kind, NotificationTemplate n) {
    if (!n.hasCompletionId() || !(n.hasValue() || n.hasVoid())) {
      return null;
    }
    ObjectNode body = JSON.createObjectNode().put("completion_id", n.getCompletionId());
    // an empty success (a void run) is an empty byte array, as restate-server shows it
    body.putObject("result")
        .set("Success", bytes(n.hasValue() ? n.getValue().getContent() : ByteString.EMPTY));
    return notification(kind, body, n.getCompletionId(), "Success");
  }

  private static Rendered command(String kind, ObjectNode full, ObjectNode lite) {
    ObjectNode f = JSON.createObjectNode();
    f.putObject("Command").set(kind, full);
    ObjectNode l = JSON.createObjectNode();
    l.putObject("Command").set(kind, lite);
    return new Rendered(f.toString(), l.toString());
  }

  private static Rendered notification(String kind, ObjectNode body, int id, String result) {
    ObjectNode f = JSON.createObjectNode();
    f.putObject("Notification").putObject("Completion").set(kind, body);
    ObjectNode l = JSON.createObjectNode();
    ObjectNode n = l.putObject("Notification");
    n.putObject("ty").put("Completion", kind);
    n.putObject("id").put("CompletionId", id);
    n.put("result", result);
    return new Rendered(f.toString(), l.toString());
  }

  private static ArrayNode bytes(ByteString b) {
    ArrayNode a = JSON.createArrayNode();
    for (int i = 0; i < b.size(); i++) {
      a.add(b.byteAt(i) & 0xFF);
    }
    return a;
  }

  private static String utf8(ByteString b) {
    return b.toString(StandardCharsets.UTF_8);
  }
}
