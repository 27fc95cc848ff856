package dev.resolute.server.sql;

import static dev.resolute.server.sql.JsonParts.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.pb.NotificationTemplate;
import java.util.Map;

/**
 * Notifications in restate-server 1.7.12's shapes: {@code
 * {"Notification":{"Completion":{"Run":{"completion_id":1,"result":{"Success":[…]}}}}}} or {@code
 * {"Notification":{"Signal":{"id":{"Index":17},"result":"Void"}}}}, and the lite form {@code
 * {"Notification":{"ty":{"Completion":"Run"},"id":{"CompletionId":1},"result":"Success"}}}.
 *
 * <p>Which results a completion can have follows restate's types: a run, call, attach or
 * get-promise result is a success or a failure (a void stored for an empty run result is shown as
 * an empty success, as restate-server stores it); a lazy state read, a peek, an output read or a
 * signal may also be void; a promise completion is void or a failure.
 */
final class NotificationJson {
  private NotificationJson() {}

  static EntryJson.Rendered render(MessageType type, byte[] payload)
      throws InvalidProtocolBufferException {
    NotificationTemplate n = NotificationTemplate.parseFrom(payload);
    if (n.getResultCase() == NotificationTemplate.ResultCase.RESULT_NOT_SET) {
      return null;
    }
    ObjectNode lite = JSON.createObjectNode();
    ObjectNode liteBody = lite.putObject("Notification");
    if (type == MessageType.SIGNAL_NOTIFICATION) {
      ObjectNode id = JSON.createObjectNode();
      ObjectNode liteId = JSON.createObjectNode();
      switch (n.getIdCase()) {
        case SIGNAL_ID -> {
          id.put("Index", n.getSignalId());
          liteId.put("SignalIndex", n.getSignalId());
        }
        case SIGNAL_NAME -> {
          id.put("Name", n.getSignalName());
          liteId.put("SignalName", n.getSignalName());
        }
        default -> {
          return null;
        }
      }
      ObjectNode body = JSON.createObjectNode();
      body.set("id", id);
      if (!result(body, n, true, true, true)) {
        return null;
      }
      ObjectNode full = JSON.createObjectNode();
      full.putObject("Notification").putObject("Signal").setAll(body);
      liteBody.put("ty", "Signal");
      liteBody.set("id", liteId);
      liteBody.put("result", liteResult(n));
      return new EntryJson.Rendered(full.toString(), lite.toString());
    }
    if (n.getIdCase() != NotificationTemplate.IdCase.COMPLETION_ID) {
      return null;
    }
    String kind = completionKind(type);
    if (kind == null) {
      return null;
    }
    ObjectNode body = JSON.createObjectNode().put("completion_id", n.getCompletionId());
    String liteResult = liteResult(n);
    switch (type) {
      case SLEEP_COMPLETION -> {}
      case CALL_INVOCATION_ID_COMPLETION -> {
        if (n.getResultCase() != NotificationTemplate.ResultCase.INVOCATION_ID) {
          return null;
        }
        body.put("invocation_id", n.getInvocationId());
      }
      case GET_LAZY_STATE_KEYS_COMPLETION -> {
        if (n.getResultCase() != NotificationTemplate.ResultCase.STATE_KEYS) {
          return null;
        }
        ArrayNode keys = EntryJson.stateKeys(n.getStateKeys().getKeysList());
        if (keys == null) {
          return null;
        }
        body.set("state_keys", keys);
      }
      case GET_LAZY_STATE_COMPLETION, PEEK_PROMISE_COMPLETION, GET_INVOCATION_OUTPUT_COMPLETION -> {
        if (!result(body, n, true, true, true)) {
          return null;
        }
      }
      case COMPLETE_PROMISE_COMPLETION -> {
        if (!result(body, n, true, false, true)) {
          return null;
        }
      }
      default -> {
        // Run, Call, AttachInvocation, GetPromise: success or failure
        if (n.getResultCase() == NotificationTemplate.ResultCase.VOID) {
          body.set("result", JsonParts.success(ByteString.EMPTY));
          liteResult = "Success";
        } else if (!result(body, n, false, true, true)) {
          return null;
        }
      }
    }
    ObjectNode full = JSON.createObjectNode();
    full.putObject("Notification").putObject("Completion").set(kind, body);
    liteBody.putObject("ty").put("Completion", kind);
    liteBody.putObject("id").put("CompletionId", n.getCompletionId());
    liteBody.put("result", liteResult);
    return new EntryJson.Rendered(full.toString(), lite.toString());
  }

  /** Puts {@code result} when the notification's result is one this kind may have. */
  private static boolean result(
      ObjectNode body, NotificationTemplate n, boolean voidOk, boolean valueOk, boolean failureOk) {
    switch (n.getResultCase()) {
      case VOID -> {
        if (!voidOk) {
          return false;
        }
        body.put("result", "Void");
      }
      case VALUE -> {
        if (!valueOk) {
          return false;
        }
        body.set("result", JsonParts.success(n.getValue().getContent()));
      }
      case FAILURE -> {
        if (!failureOk) {
          return false;
        }
        body.set("result", JsonParts.failed(n.getFailure()));
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private static String liteResult(NotificationTemplate n) {
    return switch (n.getResultCase()) {
      case VOID -> "Void";
      case VALUE -> "Success";
      case FAILURE -> "Failure";
      case INVOCATION_ID -> "InvocationId";
      case STATE_KEYS -> "StateKeys";
      default -> null;
    };
  }

  /** restate's {@code CompletionType} name of a completion notification type. */
  static String completionKind(MessageType type) {
    return switch (type) {
      case GET_LAZY_STATE_COMPLETION -> "GetLazyState";
      case GET_LAZY_STATE_KEYS_COMPLETION -> "GetLazyStateKeys";
      case GET_PROMISE_COMPLETION -> "GetPromise";
      case PEEK_PROMISE_COMPLETION -> "PeekPromise";
      case COMPLETE_PROMISE_COMPLETION -> "CompletePromise";
      case SLEEP_COMPLETION -> "Sleep";
      case CALL_COMPLETION -> "Call";
      case CALL_INVOCATION_ID_COMPLETION -> "CallInvocationId";
      case RUN_COMPLETION -> "Run";
      case ATTACH_INVOCATION_COMPLETION -> "AttachInvocation";
      case GET_INVOCATION_OUTPUT_COMPLETION -> "GetInvocationOutput";
      default -> null;
    };
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
}
