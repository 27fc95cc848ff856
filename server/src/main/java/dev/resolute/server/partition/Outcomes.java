package dev.resolute.server.partition;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.Failure;
import dev.resolute.protocol.pb.FailureMetadata;
import dev.resolute.protocol.pb.NotificationTemplate;
import dev.resolute.protocol.pb.Value;
import dev.resolute.protocol.pb.Void;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.Outcome;
import java.util.TreeMap;

/**
 * Conversions between the stored outcome ({@code pb.Outcome}), journal notifications and the API's
 * outcome. Pure functions. A failure's metadata (protocol V6+) is kept sorted by key with one value
 * per key (the last one sent), as restate-server keeps it: the ingress body and a calling handler
 * see the same order on both servers.
 */
public final class Outcomes {
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

  /** The stored form of a failure received from a deployment, metadata included. */
  public static dev.resolute.server.pb.Failure stored(Failure f) {
    dev.resolute.server.pb.Failure.Builder b =
        dev.resolute.server.pb.Failure.newBuilder().setCode(f.getCode()).setMessage(f.getMessage());
    if (f.getMetadataCount() > 0) {
      TreeMap<String, String> sorted = new TreeMap<>();
      for (FailureMetadata m : f.getMetadataList()) {
        sorted.put(m.getKey(), m.getValue());
      }
      sorted.forEach(
          (k, v) ->
              b.addMetadata(
                  dev.resolute.server.pb.FailureMetadata.newBuilder().setKey(k).setValue(v)));
    }
    return b.build();
  }

  /** The protocol form of a stored failure, metadata included (the stack trace stays stored). */
  public static Failure wire(dev.resolute.server.pb.Failure f) {
    Failure.Builder b = Failure.newBuilder().setCode(f.getCode()).setMessage(f.getMessage());
    for (dev.resolute.server.pb.FailureMetadata m : f.getMetadataList()) {
      b.addMetadata(FailureMetadata.newBuilder().setKey(m.getKey()).setValue(m.getValue()));
    }
    return b.build();
  }

  /** A stored failed outcome from a deployment's failure. */
  static Outcome failure(Failure f) {
    return Outcome.newBuilder().setFailure(stored(f)).build();
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
      n.setFailure(wire(o.getFailure()));
    } else {
      n.setValue(Value.newBuilder().setContent(o.getSuccess()));
    }
    return n.build();
  }

  static dev.resolute.server.api.Outcome toApi(Outcome o) {
    if (o.hasFailure()) {
      dev.resolute.server.pb.Failure f = o.getFailure();
      TreeMap<String, String> metadata = new TreeMap<>();
      for (dev.resolute.server.pb.FailureMetadata m : f.getMetadataList()) {
        metadata.put(m.getKey(), m.getValue());
      }
      return new dev.resolute.server.api.Outcome.Failure(
          f.getCode(),
          f.getMessage(),
          f.getStacktrace().isEmpty() ? null : f.getStacktrace(),
          metadata);
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
