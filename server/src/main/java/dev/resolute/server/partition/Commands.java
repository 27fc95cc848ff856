package dev.resolute.server.partition;

import static dev.resolute.server.partition.Apply.raw;
import static dev.resolute.server.partition.Outcomes.VOID;
import static dev.resolute.server.partition.Outcomes.completion;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.AwakeableId;
import dev.resolute.protocol.id.DeterministicIds;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.protocol.pb.AttachInvocationCommandMessage;
import dev.resolute.protocol.pb.CallCommandMessage;
import dev.resolute.protocol.pb.ClearStateCommandMessage;
import dev.resolute.protocol.pb.CompleteAwakeableCommandMessage;
import dev.resolute.protocol.pb.CompletePromiseCommandMessage;
import dev.resolute.protocol.pb.GetInvocationOutputCommandMessage;
import dev.resolute.protocol.pb.GetLazyStateCommandMessage;
import dev.resolute.protocol.pb.GetLazyStateKeysCommandMessage;
import dev.resolute.protocol.pb.GetPromiseCommandMessage;
import dev.resolute.protocol.pb.IdempotentRequestTarget;
import dev.resolute.protocol.pb.NotificationTemplate;
import dev.resolute.protocol.pb.OneWayCallCommandMessage;
import dev.resolute.protocol.pb.OutputCommandMessage;
import dev.resolute.protocol.pb.PeekPromiseCommandMessage;
import dev.resolute.protocol.pb.SendSignalCommandMessage;
import dev.resolute.protocol.pb.SetStateCommandMessage;
import dev.resolute.protocol.pb.SleepCommandMessage;
import dev.resolute.protocol.pb.StateKeys;
import dev.resolute.protocol.pb.Value;
import dev.resolute.protocol.pb.WorkflowTarget;
import dev.resolute.server.pb.Caller;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.Header;
import dev.resolute.server.pb.IngressQuery;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.Invoke;
import dev.resolute.server.pb.InvokerEvent;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.Promise;
import dev.resolute.server.pb.Signal;
import dev.resolute.server.pb.Target;
import dev.resolute.server.pb.Timer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

// Over 400 lines on purpose: one small applier per command type of the service protocol; the file
// is long because there are many types, each method stays short.

/**
 * The command appliers: a running attempt's command is appended to its journal, then applied by the
 * method for its type (state, sleep, calls, signals, awakeables, promises, attach/output). Commands
 * of other types (runs, ...) are only journaled. The invocation is INVOKED throughout.
 */
final class Commands {
  private Commands() {}

  /** One command of a running attempt, with the status being built for it; stores the status. */
  static void onCommand(Apply cx, InvocationId id, InvocationStatus.Builder st, InvokerEvent ev) {
    JournalEntry cmd = ev.getCommand();
    cx.appendEntry(id, st, cmd);
    st.setCommands(st.getCommands() + 1);
    MessageType type = MessageType.fromCode(cmd.getType());
    try {
      MessageLite m = type.parse(cmd.getPayload().toByteArray());
      Command c = new Command(cx, id, st, ev, st.getTarget());
      switch (type) {
        case OUTPUT_COMMAND -> output(c, (OutputCommandMessage) m);
        case SET_STATE_COMMAND -> setState(c, (SetStateCommandMessage) m);
        case CLEAR_STATE_COMMAND -> clearState(c, (ClearStateCommandMessage) m);
        case CLEAR_ALL_STATE_COMMAND -> cx.t.clearState(c.target.getService(), c.target.getKey());
        case GET_LAZY_STATE_COMMAND -> getLazyState(c, (GetLazyStateCommandMessage) m);
        case GET_LAZY_STATE_KEYS_COMMAND -> getLazyStateKeys(c, (GetLazyStateKeysCommandMessage) m);
        case SLEEP_COMMAND -> sleep(c, (SleepCommandMessage) m);
        case CALL_COMMAND -> call(c, (CallCommandMessage) m);
        case ONE_WAY_CALL_COMMAND -> oneWayCall(c, (OneWayCallCommandMessage) m);
        case SEND_SIGNAL_COMMAND -> sendSignal(c, (SendSignalCommandMessage) m);
        case COMPLETE_AWAKEABLE_COMMAND ->
            completeAwakeable(c, (CompleteAwakeableCommandMessage) m);
        case GET_PROMISE_COMMAND -> getPromise(c, (GetPromiseCommandMessage) m);
        case PEEK_PROMISE_COMMAND -> peekPromise(c, (PeekPromiseCommandMessage) m);
        case COMPLETE_PROMISE_COMMAND ->
            Notifications.onCompletePromise(cx, id, st, (CompletePromiseCommandMessage) m);
        case ATTACH_INVOCATION_COMMAND -> attach(c, (AttachInvocationCommandMessage) m);
        case GET_INVOCATION_OUTPUT_COMMAND -> getOutput(c, (GetInvocationOutputCommandMessage) m);
        default -> {}
      }
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      // the invoker validates before appending; a record that still fails is kept in the journal
    }
    cx.t.putStatus(id, st.build());
  }

  /** The command being applied: its context, invocation, status being built, event and target. */
  private record Command(
      Apply cx, InvocationId id, InvocationStatus.Builder st, InvokerEvent ev, Target target) {
    void notify(MessageType type, NotificationTemplate n) {
      Notifications.notify(cx, id, st, type, n);
    }
  }

  private static void output(Command c, OutputCommandMessage o) {
    c.st
        .setHasOutput(true)
        .setOutcome(
            o.hasFailure()
                ? Outcomes.failure(o.getFailure())
                : Outcomes.success(o.getValue().getContent()));
  }

  private static void setState(Command c, SetStateCommandMessage s) {
    c.cx.t.putState(
        c.target.getService(),
        c.target.getKey(),
        s.getKey().toByteArray(),
        s.getValue().getContent().toByteArray());
  }

  private static void clearState(Command c, ClearStateCommandMessage s) {
    c.cx.t.deleteState(c.target.getService(), c.target.getKey(), s.getKey().toByteArray());
  }

  private static void getLazyState(Command c, GetLazyStateCommandMessage g) {
    Target target = c.target;
    byte[] v =
        target.getKeyed()
            ? c.cx.t.state(target.getService(), target.getKey(), g.getKey().toByteArray())
            : null;
    NotificationTemplate.Builder n =
        NotificationTemplate.newBuilder().setCompletionId(g.getResultCompletionId());
    if (v == null) {
      n.setVoid(VOID);
    } else {
      n.setValue(Value.newBuilder().setContent(ByteString.copyFrom(v)));
    }
    c.notify(MessageType.GET_LAZY_STATE_COMPLETION, n.build());
  }

  private static void getLazyStateKeys(Command c, GetLazyStateKeysCommandMessage g) {
    StateKeys.Builder keys = StateKeys.newBuilder();
    if (c.target.getKeyed()) {
      for (byte[][] e : c.cx.t.allState(c.target.getService(), c.target.getKey())) {
        keys.addKeys(ByteString.copyFrom(e[0]));
      }
    }
    c.notify(
        MessageType.GET_LAZY_STATE_KEYS_COMPLETION,
        NotificationTemplate.newBuilder()
            .setCompletionId(g.getResultCompletionId())
            .setStateKeys(keys)
            .build());
  }

  private static void sleep(Command c, SleepCommandMessage s) {
    c.cx.timer(
        s.getWakeUpTime(),
        Timer.newBuilder()
            .setInvocationId(raw(c.id))
            .setSleepCompletionId(s.getResultCompletionId())
            .build());
  }

  /**
   * A call. Like a send, it inherits the caller's scope and limit key (restate-server 1.7.12 gives
   * V5/V6 calls no scope at all; its V7 commands carry one chosen by the SDK): what a scoped
   * invocation starts counts against the same rules. A concurrency rule therefore also counts the
   * callee, so a caller that holds the last slot of a counter and awaits a callee of that counter
   * waits for ever (the server README, "Limits and rules", says so).
   */
  private static void call(Command c, CallCommandMessage m) {
    String key = m.hasIdempotencyKey() ? m.getIdempotencyKey() : null;
    InvocationId callee =
        calleeId(c.id, c.st.getCommands() - 1, c.ev.getCallTarget(), key, c.st.getScope());
    c.cx.ship(
        callee,
        Envelope.newBuilder()
            .setInvoke(
                invokeFor(
                        callee,
                        c.ev,
                        m.getParameter(),
                        m.getHeadersList(),
                        key == null ? "" : key,
                        0)
                    .setScope(c.st.getScope())
                    .setLimitKey(c.st.getLimitKey())
                    .setCaller(
                        Caller.newBuilder()
                            .setInvocationId(raw(c.id))
                            .setCompletionId(m.getResultCompletionId()))
                    .setParentTarget(c.st.getTarget()))
            .build());
    c.notify(
        MessageType.CALL_INVOCATION_ID_COMPLETION,
        NotificationTemplate.newBuilder()
            .setCompletionId(m.getInvocationIdNotificationIdx())
            .setInvocationId(callee.toString())
            .build());
  }

  private static void oneWayCall(Command c, OneWayCallCommandMessage m) {
    String key = m.hasIdempotencyKey() ? m.getIdempotencyKey() : null;
    InvocationId callee =
        calleeId(c.id, c.st.getCommands() - 1, c.ev.getCallTarget(), key, c.st.getScope());
    c.cx.ship(
        callee,
        Envelope.newBuilder()
            .setInvoke(
                invokeFor(
                        callee,
                        c.ev,
                        m.getParameter(),
                        m.getHeadersList(),
                        key == null ? "" : key,
                        m.getInvokeTime())
                    .setScope(c.st.getScope())
                    .setLimitKey(c.st.getLimitKey())
                    .setParentTarget(c.st.getTarget()))
            .build());
    c.notify(
        MessageType.CALL_INVOCATION_ID_COMPLETION,
        NotificationTemplate.newBuilder()
            .setCompletionId(m.getInvocationIdNotificationIdx())
            .setInvocationId(callee.toString())
            .build());
  }

  private static void sendSignal(Command c, SendSignalCommandMessage s) {
    InvocationId target = InvocationId.parse(s.getTargetInvocationId());
    Signal.Builder sig = Signal.newBuilder().setInvocationId(raw(target));
    if (s.getSignalIdCase() == SendSignalCommandMessage.SignalIdCase.NAME) {
      sig.setName(s.getName());
    } else {
      sig.setIdx(s.getIdx());
    }
    switch (s.getResultCase()) {
      case VALUE -> sig.setValue(s.getValue().getContent());
      case FAILURE -> sig.setFailure(Outcomes.stored(s.getFailure()));
      default -> sig.setVoid(true);
    }
    c.cx.ship(target, Envelope.newBuilder().setSignal(sig).build());
  }

  private static void completeAwakeable(Command c, CompleteAwakeableCommandMessage m) {
    AwakeableId a = AwakeableId.parse(m.getAwakeableId());
    Signal.Builder sig =
        Signal.newBuilder().setInvocationId(raw(a.invocationId())).setIdx(a.index());
    if (m.hasFailure()) {
      sig.setFailure(Outcomes.stored(m.getFailure()));
    } else {
      sig.setValue(m.getValue().getContent());
    }
    c.cx.ship(a.invocationId(), Envelope.newBuilder().setSignal(sig).build());
  }

  private static void getPromise(Command c, GetPromiseCommandMessage g) {
    Target target = c.target;
    Promise pr = c.cx.t.promise(target.getService(), target.getKey(), g.getKey());
    if (pr != null && pr.getCompleted()) {
      c.notify(
          MessageType.GET_PROMISE_COMPLETION,
          completion(g.getResultCompletionId(), pr.getOutcome()));
    } else {
      Promise.Builder b = pr == null ? Promise.newBuilder() : pr.toBuilder();
      b.addWaiters(
          Caller.newBuilder()
              .setInvocationId(raw(c.id))
              .setCompletionId(g.getResultCompletionId()));
      c.cx.t.putPromise(target.getService(), target.getKey(), g.getKey(), b.build());
    }
  }

  private static void peekPromise(Command c, PeekPromiseCommandMessage g) {
    Promise pr = c.cx.t.promise(c.target.getService(), c.target.getKey(), g.getKey());
    NotificationTemplate n =
        pr != null && pr.getCompleted()
            ? completion(g.getResultCompletionId(), pr.getOutcome())
            : NotificationTemplate.newBuilder()
                .setCompletionId(g.getResultCompletionId())
                .setVoid(VOID)
                .build();
    c.notify(MessageType.PEEK_PROMISE_COMPLETION, n);
  }

  private static void attach(Command c, AttachInvocationCommandMessage a) {
    askTarget(
        c.cx,
        c.id,
        attachTarget(
            a.getTargetCase() == AttachInvocationCommandMessage.TargetCase.INVOCATION_ID
                ? a.getInvocationId()
                : null,
            a.getIdempotentRequestTarget(),
            a.getWorkflowTarget(),
            a.getTargetCase() == AttachInvocationCommandMessage.TargetCase.WORKFLOW_TARGET),
        IngressQuery.Kind.ATTACH,
        a.getResultCompletionId(),
        MessageType.ATTACH_INVOCATION_COMPLETION);
  }

  private static void getOutput(Command c, GetInvocationOutputCommandMessage g) {
    askTarget(
        c.cx,
        c.id,
        attachTarget(
            g.getTargetCase() == GetInvocationOutputCommandMessage.TargetCase.INVOCATION_ID
                ? g.getInvocationId()
                : null,
            g.getIdempotentRequestTarget(),
            g.getWorkflowTarget(),
            g.getTargetCase() == GetInvocationOutputCommandMessage.TargetCase.WORKFLOW_TARGET),
        IngressQuery.Kind.OUTPUT,
        g.getResultCompletionId(),
        MessageType.GET_INVOCATION_OUTPUT_COMPLETION);
  }

  // ---------------------------------------------------------------- helpers

  /** The invocation an Attach/GetInvocationOutput command names. */
  private static InvocationId attachTarget(
      String invocationId, IdempotentRequestTarget ik, WorkflowTarget wf, boolean workflow) {
    if (invocationId != null) {
      return InvocationId.parse(invocationId);
    }
    if (workflow) {
      return DeterministicIds.workflowRun(wf.getWorkflowName(), wf.getWorkflowKey());
    }
    return DeterministicIds.idempotent(
        ik.getServiceName(),
        ik.hasServiceKey() ? ik.getServiceKey() : null,
        ik.getHandlerName(),
        ik.getIdempotencyKey());
  }

  /**
   * Ships an attach/output question to the partition of {@code target}; the answer comes back as a
   * CompleteCall.
   */
  private static void askTarget(
      Apply cx,
      InvocationId caller,
      InvocationId target,
      IngressQuery.Kind kind,
      int completionId,
      MessageType notification) {
    cx.ship(
        target,
        Envelope.newBuilder()
            .setIngressQuery(
                IngressQuery.newBuilder()
                    .setInvocationId(raw(target))
                    .setKind(kind)
                    .setCaller(
                        Caller.newBuilder()
                            .setInvocationId(raw(caller))
                            .setCompletionId(completionId)
                            .setNotificationType(notification.code())))
            .build());
  }

  /**
   * Deterministic id of an invocation created by a handler's command. A call or send from a scoped
   * invocation inherits its scope (and limit key: see {@link #call}); a plain-service callee then
   * lives in the scope's partition, as an ingress call in that scope does, so the scope's counters
   * stay in one partition.
   */
  private static InvocationId calleeId(
      InvocationId caller, int commandIndex, Target target, String idempotencyKey, String scope) {
    if (idempotencyKey != null && !idempotencyKey.isEmpty()) {
      return DeterministicIds.idempotent(
          target.getService(),
          target.getKeyed() ? target.getKey() : null,
          target.getHandler(),
          idempotencyKey);
    }
    if (target.getKind() == Target.Kind.WORKFLOW_RUN) {
      return DeterministicIds.workflowRun(target.getService(), target.getKey());
    }
    byte[] digest = sha256(caller.toBytes(), ByteBuffer.allocate(4).putInt(commandIndex).array());
    byte[] uuid = Arrays.copyOf(digest, 16);
    long pk =
        target.getKeyed()
            ? PartitionKeys.keyed(target.getKey())
            : !scope.isEmpty()
                ? PartitionKeys.keyed(scope)
                : PartitionKeys.bucket(
                    target.getService(),
                    Long.remainderUnsigned(ByteBuffer.wrap(digest, 16, 8).getLong(), 512));
    return new InvocationId(pk, uuid);
  }

  private static Invoke.Builder invokeFor(
      InvocationId callee,
      InvokerEvent ev,
      ByteString param,
      List<dev.resolute.protocol.pb.Header> headers,
      String idempotencyKey,
      long executionTime) {
    Invoke.Builder b =
        Invoke.newBuilder()
            .setInvocationId(raw(callee))
            .setTarget(ev.getCallTarget())
            .setInput(param)
            .setIdempotencyKey(idempotencyKey)
            .setExecutionTimeMillis(executionTime)
            .setCompletionRetentionMillis(ev.getCompletionRetentionMillis())
            .setParentInvocationId(ev.getInvocationId());
    if (ev.hasChildTrace()) {
      b.setTrace(ev.getChildTrace()); // decided by the invoker that received the command
    }
    for (dev.resolute.protocol.pb.Header h : headers) {
      b.addHeaders(Header.newBuilder().setKey(h.getKey()).setValue(h.getValue()));
    }
    return b;
  }

  private static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        d.update(p);
      }
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
