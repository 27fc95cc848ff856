package dev.resolute.server.partition;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.Failure;
import dev.resolute.protocol.pb.NotificationTemplate;
import dev.resolute.protocol.pb.Value;
import dev.resolute.protocol.pb.Void;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.Outcome;

/**
 * Conversions between the stored outcome ({@code pb.Outcome}), journal notifications and the API's
 * outcome. Pure functions.
 */
final class Outcomes {
  static final Void VOID = Void.getDefaultInstance();

  private Outcomes() {}

  static JournalEntry entry(MessageType type, MessageLite m) {
    return JournalEntry.newBuilder().setType(type.code()).setPayload(m.toByteString()).build();
  }

  static Outcome failure(int code, String message) {
    return Outcome.newBuilder()
        .setFailure(dev.resolute.server.pb.Failure.newBuilder().setCode(code).setMessage(message))
        .build();
  }

  static Outcome success(ByteString value) {
    return Outcome.newBuilder().setSuccess(value).build();
  }

  /** A completion notification carrying {@code o} (void when it has no result). */
  static NotificationTemplate completion(int completionId, Outcome o) {
    NotificationTemplate.Builder n =
        NotificationTemplate.newBuilder().setCompletionId(completionId);
    if (o.getResultCase() == Outcome.ResultCase.RESULT_NOT_SET) {
      n.setVoid(VOID);
    } else if (o.hasFailure()) {
      n.setFailure(
          Failure.newBuilder()
              .setCode(o.getFailure().getCode())
              .setMessage(o.getFailure().getMessage()));
    } else {
      n.setValue(Value.newBuilder().setContent(o.getSuccess()));
    }
    return n.build();
  }

  static dev.resolute.server.api.Outcome toApi(Outcome o) {
    if (o.hasFailure()) {
      return new dev.resolute.server.api.Outcome.Failure(
          o.getFailure().getCode(),
          o.getFailure().getMessage(),
          o.getFailure().getStacktrace().isEmpty() ? null : o.getFailure().getStacktrace());
    }
    return dev.resolute.server.api.Outcome.success(o.getSuccess().toByteArray());
  }

  /** The stored result of a completed invocation, with its expiry. */
  static InvocationResult stored(InvocationId id, InvocationStatus st) {
    return new InvocationResult(id, toApi(st.getOutcome()), expiresAt(st));
  }

  static long expiresAt(InvocationStatus st) {
    return st.getCompletedAt() + st.getCompletionRetentionMillis();
  }
}
