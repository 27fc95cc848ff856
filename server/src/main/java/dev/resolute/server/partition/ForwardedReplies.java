package dev.resolute.server.partition;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.api.Outcome;
import dev.resolute.server.api.SubmitResult;
import dev.resolute.server.pb.Failure;
import dev.resolute.server.pb.FailureMetadata;
import dev.resolute.server.pb.ForwardedReply;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link Answer} ↔ {@code ForwardedReply}: how an answer reaches a waiter held by a node that does
 * not apply the partition (cluster mode with cold followers, see {@link PartitionProcessor}). Every
 * case round-trips exactly ({@code ForwardedRepliesTest}).
 */
public final class ForwardedReplies {
  private ForwardedReplies() {}

  /** The node a waiter id of {@link Replies#forNode} belongs to (0 for a single node's ids). */
  public static int nodeOf(long requestId) {
    return (int) (requestId >>> Replies.NODE_SHIFT) & 0xFFFF;
  }

  public static ForwardedReply encode(long requestId, Answer answer) {
    ForwardedReply.Builder b = ForwardedReply.newBuilder().setRequestId(requestId);
    if (answer instanceof Answer.Invoked i) {
      b.setKind(ForwardedReply.Kind.INVOKED);
      result(b, i.result());
    } else if (answer instanceof Answer.Submitted s) {
      b.setKind(ForwardedReply.Kind.SUBMITTED)
          .setInvocationId(ByteString.copyFrom(s.result().id().toBytes()))
          .setPreviouslyAccepted(s.result().previouslyAccepted())
          .setExecutionTimeMillis(s.result().executionTimeMillis());
    } else if (answer instanceof Answer.Refused r) {
      b.setKind(ForwardedReply.Kind.REFUSED)
          .setStatus(r.error().status())
          .setMessage(r.error().getMessage() == null ? "" : r.error().getMessage());
    } else if (answer instanceof Answer.Output o) {
      b.setKind(ForwardedReply.Kind.OUTPUT);
      if (o.result().isPresent()) {
        b.setHasResult(true);
        result(b, o.result().get());
      }
    } else if (answer instanceof Answer.Cancelled c) {
      b.setKind(ForwardedReply.Kind.CANCELLED).setFlag(c.atOnce());
    } else if (answer instanceof Answer.Done) {
      b.setKind(ForwardedReply.Kind.DONE);
    } else if (answer instanceof Answer.Managed m) {
      b.setKind(ForwardedReply.Kind.MANAGED).setStatus(m.status());
    } else {
      throw new IllegalArgumentException("no forwarded form for " + answer);
    }
    return b.build();
  }

  private static void result(ForwardedReply.Builder b, InvocationResult r) {
    b.setInvocationId(ByteString.copyFrom(r.id().toBytes()))
        .setExpiresAtMillis(r.expiresAtMillis());
    if (r.outcome() instanceof Outcome.Success s) {
      b.setSuccess(ByteString.copyFrom(s.value()));
    } else if (r.outcome() instanceof Outcome.Failure f) {
      Failure.Builder fb = Failure.newBuilder().setCode(f.code()).setMessage(f.message());
      if (f.stacktrace() != null) {
        fb.setStacktrace(f.stacktrace());
      }
      f.metadata()
          .forEach((k, v) -> fb.addMetadata(FailureMetadata.newBuilder().setKey(k).setValue(v)));
      b.setFailure(fb);
    }
  }

  public static Answer decode(ForwardedReply r) {
    return switch (r.getKind()) {
      case INVOKED -> new Answer.Invoked(result(r));
      case SUBMITTED ->
          new Answer.Submitted(
              new SubmitResult(
                  InvocationId.fromBytes(r.getInvocationId().toByteArray()),
                  r.getPreviouslyAccepted(),
                  r.getExecutionTimeMillis()));
      case REFUSED -> new Answer.Refused(new DispatchException(r.getStatus(), r.getMessage()));
      case OUTPUT ->
          new Answer.Output(r.getHasResult() ? Optional.of(result(r)) : Optional.empty());
      case CANCELLED -> new Answer.Cancelled(r.getFlag());
      case DONE -> Answer.Done.INSTANCE;
      case MANAGED -> new Answer.Managed(r.getStatus());
      case UNRECOGNIZED -> throw new IllegalArgumentException("unknown forwarded reply kind");
    };
  }

  private static InvocationResult result(ForwardedReply r) {
    Outcome outcome;
    if (r.hasFailure()) {
      Failure f = r.getFailure();
      TreeMap<String, String> meta = new TreeMap<>();
      f.getMetadataList().forEach(m -> meta.put(m.getKey(), m.getValue()));
      outcome =
          new Outcome.Failure(
              f.getCode(),
              f.getMessage(),
              f.getStacktrace().isEmpty() ? null : f.getStacktrace(),
              meta);
    } else {
      outcome = new Outcome.Success(r.getSuccess().toByteArray());
    }
    return new InvocationResult(
        InvocationId.fromBytes(r.getInvocationId().toByteArray()), outcome, r.getExpiresAtMillis());
  }
}
