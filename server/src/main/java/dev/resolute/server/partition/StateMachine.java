package dev.resolute.server.partition;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.AwakeableId;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.*;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.api.SubmitResult;
import dev.resolute.server.pb.*;
import dev.resolute.server.pb.Failure;
import dev.resolute.server.pb.Header;
import dev.resolute.server.pb.Promise;
import dev.resolute.server.storage.Txn;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * The deterministic partition state machine: (store, record) → (store', effects). No clock, no
 * randomness, no I/O: "now" is the record's timestamp, generated ids derive from stored data.
 */
public final class StateMachine {
  static final long DEFAULT_RETENTION_MILLIS = 24L * 3600 * 1000;
  static final String WORKFLOW_ALREADY_INVOKED = "the workflow method was already invoked";

  private final int partition;
  private final Partitioning partitioning;
  private final Tables t;
  private List<Effect> out;
  private long now;

  public StateMachine(int partition, Partitioning partitioning) {
    this.partition = partition;
    this.partitioning = partitioning;
    this.t = new Tables(partition);
  }

  /** Applies one committed record. Effects are appended to {@code effects}. */
  public void apply(Txn txn, long lsn, Envelope env, List<Effect> effects) {
    t.on(txn);
    this.out = effects;
    this.now = env.getTimestampMillis();
    Tables.putAppliedLsn(txn, partition, lsn);
    if (env.getSourceSeq() != 0) {
      if (env.getSourceSeq() <= t.dedupSeq(env.getSourcePartition())) {
        return; // a re-shipped outbox message already applied
      }
      t.putDedupSeq(env.getSourcePartition(), env.getSourceSeq());
    }
    switch (env.getRecordCase()) {
      case INVOKE -> onInvoke(env.getInvoke());
      case INVOKER_EVENT -> onInvokerEvent(env.getInvokerEvent());
      case TIMER_FIRED -> onTimer(env.getTimerFired().getTimerKey().toByteArray());
      case COMPLETE_CALL -> onCompleteCall(env.getCompleteCall());
      case SIGNAL -> onSignal(env.getSignal());
      case INGRESS_QUERY -> onQuery(env.getIngressQuery());
      case TRUNCATE_OUTBOX -> t.truncateOutbox(env.getTruncateOutbox().getUpToSeq());
      case RESUME_ALL -> onResumeAll();
      case KILL -> onQuery(IngressQuery.newBuilder().setInvocationId(env.getKill().getInvocationId())
          .setKind(IngressQuery.Kind.KILL).build());
      default -> { }
    }
  }

  // ---------------------------------------------------------------- invocations

  private void onInvoke(Invoke inv) {
    InvocationId id = InvocationId.fromBytes(inv.getInvocationId().toByteArray());
    InvocationStatus existing = t.status(id);
    if (existing != null) {
      onDuplicateInvoke(id, existing, inv);
      return;
    }
    InvocationStatus.Builder st = InvocationStatus.newBuilder()
        .setTarget(inv.getTarget())
        .setCreatedAt(now)
        .setModifiedAt(now)
        .setIdempotencyKey(inv.getIdempotencyKey())
        .setExecutionTimeMillis(inv.getExecutionTimeMillis())
        .setCompletionRetentionMillis(inv.getCompletionRetentionMillis() > 0
            ? inv.getCompletionRetentionMillis() : DEFAULT_RETENTION_MILLIS);
    if (inv.hasCaller()) {
      st.addCallers(inv.getCaller());
    }
    if (inv.getIngressRequest() != 0) {
      if (inv.getIngressWantsResult()) {
        st.addIngressWaiters(inv.getIngressRequest());
      } else {
        reply(inv.getIngressRequest(), new SubmitResult(id, false, inv.getExecutionTimeMillis()));
      }
    }
    InputCommandMessage.Builder input = InputCommandMessage.newBuilder()
        .setValue(Value.newBuilder().setContent(inv.getInput()));
    for (Header h : inv.getHeadersList()) {
      input.addHeaders(dev.resolute.protocol.pb.Header.newBuilder().setKey(h.getKey()).setValue(h.getValue()));
    }
    t.putEntry(id, 0, entry(MessageType.INPUT_COMMAND, input.build()));
    st.setJournalLength(1).setCommands(1).setLastEntryAt(now);
    if (inv.getExecutionTimeMillis() > now) {
      st.setPhase(InvocationStatus.Phase.SCHEDULED);
      t.putStatus(id, st.build());
      timer(inv.getExecutionTimeMillis(), Timer.newBuilder().setInvocationId(inv.getInvocationId())
          .setStartScheduled(true).build());
    } else {
      enqueueOrStart(id, st);
    }
  }

  private void onDuplicateInvoke(InvocationId id, InvocationStatus existing, Invoke inv) {
    InvocationStatus.Builder st = existing.toBuilder();
    boolean completed = existing.getPhase() == InvocationStatus.Phase.COMPLETED;
    // a workflow's run handler runs once per id: a second call is refused, a second send is
    // "previously accepted" (restate-server 1.7.12)
    boolean workflowRun = existing.getTarget().getKind() == Target.Kind.WORKFLOW_RUN;
    if (inv.getIngressRequest() != 0) {
      if (!inv.getIngressWantsResult()) {
        // restate-server names the execution time only while the invocation is still scheduled
        reply(inv.getIngressRequest(), new SubmitResult(id, true,
            existing.getPhase() == InvocationStatus.Phase.SCHEDULED ? existing.getExecutionTimeMillis() : 0));
      } else if (workflowRun) {
        reply(inv.getIngressRequest(), new InvocationResult(id,
            dev.resolute.server.api.Outcome.failure(409, WORKFLOW_ALREADY_INVOKED)));
      } else if (completed) {
        reply(inv.getIngressRequest(), new InvocationResult(id, toApi(existing.getOutcome()), expiresAt(existing)));
      } else {
        st.addIngressWaiters(inv.getIngressRequest());
      }
    }
    if (inv.hasCaller()) {
      if (workflowRun) {
        shipCompletion(inv.getCaller(), failure(409, WORKFLOW_ALREADY_INVOKED));
      } else if (completed) {
        shipCompletion(inv.getCaller(), existing.getOutcome());
      } else {
        st.addCallers(inv.getCaller());
      }
    }
    t.putStatus(id, st.build());
  }

  private boolean takesLock(Target target) {
    return target.getKeyed() && target.getKind() != Target.Kind.SHARED;
  }

  private void enqueueOrStart(InvocationId id, InvocationStatus.Builder st) {
    Target target = st.getTarget();
    if (takesLock(target)) {
      InvocationId holder = t.lockHolder(target.getService(), target.getKey());
      if (holder != null && !holder.equals(id)) {
        st.setPhase(InvocationStatus.Phase.INBOXED);
        t.putStatus(id, st.build());
        t.enqueue(target.getService(), target.getKey(), id);
        return;
      }
      t.lock(target.getService(), target.getKey(), id);
    }
    startAttempt(id, st);
  }

  /** Starts a new attempt (attempt + 1) and asks the invoker to run it. */
  private void startAttempt(InvocationId id, InvocationStatus.Builder st) {
    st.setPhase(InvocationStatus.Phase.INVOKED)
        .setAttempt(st.getAttempt() + 1)
        .setTotalAttempts(st.getTotalAttempts() + 1)
        .clearWaiting()
        .setModifiedAt(now);
    InvocationStatus s = st.build();
    t.putStatus(id, s);
    Target target = s.getTarget();
    List<byte[][]> state = target.getKeyed() ? t.allState(target.getService(), target.getKey()) : List.of();
    out.add(new Effect.StartAttempt(id, s, t.journal(id, s.getJournalLength()), state, !target.getKeyed()));
  }

  /**
   * Restarts every running (INVOKED) invocation, found through the running index. A store written
   * before the index existed has no {@value #RUNNING_INDEX} marker: its statuses are read once, the
   * index is built from them and the marker set, all in this record's batch.
   */
  private void onResumeAll() {
    if (t.meta(RUNNING_INDEX) == 0) {
      for (Object[] e : t.allStatuses()) {
        if (((InvocationStatus) e[1]).getPhase() == InvocationStatus.Phase.INVOKED) {
          t.markRunning((InvocationId) e[0]);
        }
      }
      t.putMeta(RUNNING_INDEX, 1);
    }
    for (InvocationId id : t.running()) {
      InvocationStatus st = t.status(id);
      if (st != null && st.getPhase() == InvocationStatus.Phase.INVOKED) {
        startAttempt(id, st.toBuilder());
      }
    }
  }

  static final String RUNNING_INDEX = "running-index";

  // ---------------------------------------------------------------- invoker events

  private void onInvokerEvent(InvokerEvent ev) {
    InvocationId id = InvocationId.fromBytes(ev.getInvocationId().toByteArray());
    InvocationStatus cur = t.status(id);
    if (cur == null || cur.getPhase() != InvocationStatus.Phase.INVOKED || cur.getAttempt() != ev.getAttempt()) {
      return; // fenced: a late message of an earlier attempt
    }
    InvocationStatus.Builder st = cur.toBuilder().setModifiedAt(now);
    if (st.getDeploymentId().isEmpty() && !ev.getDeploymentId().isEmpty()) {
      st.setDeploymentId(ev.getDeploymentId()).setProtocolVersion(ev.getProtocolVersion());
    }
    switch (ev.getEventCase()) {
      case COMMAND -> onCommand(id, st, ev);
      case PROPOSE_RUN -> {
        ProposeRun pr = ev.getProposeRun();
        notify(id, st, MessageType.RUN_COMPLETION, completion(pr.getCompletionId(), pr.getOutcome()));
        t.putStatus(id, st.build());
      }
      case SUSPENDED -> onSuspended(id, st, ev.getSuspended());
      case FAILED -> onFailed(id, st, ev.getFailed());
      case END -> complete(id, st, st.getHasOutput() ? st.getOutcome()
          : dev.resolute.server.pb.Outcome.newBuilder().setSuccess(ByteString.EMPTY).build());
      default -> t.putStatus(id, st.build());
    }
  }

  private void onSuspended(InvocationId id, InvocationStatus.Builder st, Suspended s) {
    if (s.getCompletionsCount() + s.getSignalsCount() + s.getNamedSignalsCount() == 0) {
      onFailed(id, st, AttemptFailed.newBuilder().setCode(571).setMessage("empty suspension")
          .setNextRetryDelayMillis(-1).build());
      return;
    }
    if (satisfiedByJournal(id, s)) {
      startAttempt(id, st);
      return;
    }
    st.setPhase(InvocationStatus.Phase.SUSPENDED).setWaiting(s).setPolicyFailures(0);
    t.putStatus(id, st.build());
  }

  private void onFailed(InvocationId id, InvocationStatus.Builder st, AttemptFailed f) {
    st.setLastFailure("[" + f.getCode() + "] " + f.getMessage()).setRetryCount(st.getRetryCount() + 1);
    if (f.getPolicyRetry()) {
      st.setPolicyFailures(st.getPolicyFailures() + 1);
    }
    if (f.getExhausted()) {
      if (f.getKillOnExhausted()) {
        complete(id, st, dev.resolute.server.pb.Outcome.newBuilder().setFailure(Failure.newBuilder()
            .setCode(f.getCode() == 0 ? 500 : f.getCode()).setMessage(f.getMessage())
            .setStacktrace(f.getStacktrace())).build());
      } else {
        st.setPhase(InvocationStatus.Phase.PAUSED);
        t.putStatus(id, st.build());
      }
      return;
    }
    st.setPhase(InvocationStatus.Phase.BACKING_OFF);
    t.putStatus(id, st.build());
    long delay = Math.max(0, f.getNextRetryDelayMillis());
    timer(now + delay, Timer.newBuilder().setInvocationId(ByteString.copyFrom(id.toBytes()))
        .setRetryAttempt(st.getAttempt()).build());
  }

  private void onCommand(InvocationId id, InvocationStatus.Builder st, InvokerEvent ev) {
    JournalEntry cmd = ev.getCommand();
    appendEntry(id, st, cmd);
    st.setCommands(st.getCommands() + 1);
    MessageType type = MessageType.fromCode(cmd.getType());
    Target target = st.getTarget();
    try {
      MessageLite m = type.parse(cmd.getPayload().toByteArray());
      switch (type) {
        case OUTPUT_COMMAND -> {
          OutputCommandMessage o = (OutputCommandMessage) m;
          st.setHasOutput(true).setOutcome(o.hasFailure()
              ? failure(o.getFailure().getCode(), o.getFailure().getMessage())
              : dev.resolute.server.pb.Outcome.newBuilder().setSuccess(o.getValue().getContent()).build());
        }
        case SET_STATE_COMMAND -> {
          SetStateCommandMessage s = (SetStateCommandMessage) m;
          t.putState(target.getService(), target.getKey(), s.getKey().toByteArray(),
              s.getValue().getContent().toByteArray());
        }
        case CLEAR_STATE_COMMAND -> t.deleteState(target.getService(), target.getKey(),
            ((ClearStateCommandMessage) m).getKey().toByteArray());
        case CLEAR_ALL_STATE_COMMAND -> t.clearState(target.getService(), target.getKey());
        case GET_LAZY_STATE_COMMAND -> {
          GetLazyStateCommandMessage g = (GetLazyStateCommandMessage) m;
          byte[] v = target.getKeyed() ? t.state(target.getService(), target.getKey(), g.getKey().toByteArray()) : null;
          NotificationTemplate.Builder n = NotificationTemplate.newBuilder().setCompletionId(g.getResultCompletionId());
          if (v == null) {
            n.setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance());
          } else {
            n.setValue(Value.newBuilder().setContent(ByteString.copyFrom(v)));
          }
          notify(id, st, MessageType.GET_LAZY_STATE_COMPLETION, n.build());
        }
        case GET_LAZY_STATE_KEYS_COMMAND -> {
          GetLazyStateKeysCommandMessage g = (GetLazyStateKeysCommandMessage) m;
          StateKeys.Builder keys = StateKeys.newBuilder();
          if (target.getKeyed()) {
            for (byte[][] e : t.allState(target.getService(), target.getKey())) {
              keys.addKeys(ByteString.copyFrom(e[0]));
            }
          }
          notify(id, st, MessageType.GET_LAZY_STATE_KEYS_COMPLETION, NotificationTemplate.newBuilder()
              .setCompletionId(g.getResultCompletionId()).setStateKeys(keys).build());
        }
        case SLEEP_COMMAND -> {
          SleepCommandMessage s = (SleepCommandMessage) m;
          timer(s.getWakeUpTime(), Timer.newBuilder().setInvocationId(ByteString.copyFrom(id.toBytes()))
              .setSleepCompletionId(s.getResultCompletionId()).build());
        }
        case CALL_COMMAND -> {
          CallCommandMessage c = (CallCommandMessage) m;
          InvocationId callee = calleeId(id, st.getCommands() - 1, ev.getCallTarget(),
              c.hasIdempotencyKey() ? c.getIdempotencyKey() : null);
          ship(callee, Envelope.newBuilder().setInvoke(invokeFor(callee, ev, c.getParameter(), c.getHeadersList(),
              c.hasIdempotencyKey() ? c.getIdempotencyKey() : "", 0)
              .setCaller(Caller.newBuilder().setInvocationId(ByteString.copyFrom(id.toBytes()))
                  .setCompletionId(c.getResultCompletionId()))).build());
          notify(id, st, MessageType.CALL_INVOCATION_ID_COMPLETION, NotificationTemplate.newBuilder()
              .setCompletionId(c.getInvocationIdNotificationIdx()).setInvocationId(callee.toString()).build());
        }
        case ONE_WAY_CALL_COMMAND -> {
          OneWayCallCommandMessage c = (OneWayCallCommandMessage) m;
          InvocationId callee = calleeId(id, st.getCommands() - 1, ev.getCallTarget(),
              c.hasIdempotencyKey() ? c.getIdempotencyKey() : null);
          ship(callee, Envelope.newBuilder().setInvoke(invokeFor(callee, ev, c.getParameter(), c.getHeadersList(),
              c.hasIdempotencyKey() ? c.getIdempotencyKey() : "", c.getInvokeTime())).build());
          notify(id, st, MessageType.CALL_INVOCATION_ID_COMPLETION, NotificationTemplate.newBuilder()
              .setCompletionId(c.getInvocationIdNotificationIdx()).setInvocationId(callee.toString()).build());
        }
        case SEND_SIGNAL_COMMAND -> {
          SendSignalCommandMessage s = (SendSignalCommandMessage) m;
          InvocationId target2 = InvocationId.parse(s.getTargetInvocationId());
          Signal.Builder sig = Signal.newBuilder().setInvocationId(ByteString.copyFrom(target2.toBytes()));
          if (s.getSignalIdCase() == SendSignalCommandMessage.SignalIdCase.NAME) {
            sig.setName(s.getName());
          } else {
            sig.setIdx(s.getIdx());
          }
          switch (s.getResultCase()) {
            case VALUE -> sig.setValue(s.getValue().getContent());
            case FAILURE -> sig.setFailure(Failure.newBuilder().setCode(s.getFailure().getCode())
                .setMessage(s.getFailure().getMessage()));
            default -> sig.setVoid(true);
          }
          ship(target2, Envelope.newBuilder().setSignal(sig).build());
        }
        case COMPLETE_AWAKEABLE_COMMAND -> {
          CompleteAwakeableCommandMessage c = (CompleteAwakeableCommandMessage) m;
          AwakeableId a = AwakeableId.parse(c.getAwakeableId());
          Signal.Builder sig = Signal.newBuilder().setInvocationId(ByteString.copyFrom(a.invocationId().toBytes()))
              .setIdx(a.index());
          if (c.hasFailure()) {
            sig.setFailure(Failure.newBuilder().setCode(c.getFailure().getCode()).setMessage(c.getFailure().getMessage()));
          } else {
            sig.setValue(c.getValue().getContent());
          }
          ship(a.invocationId(), Envelope.newBuilder().setSignal(sig).build());
        }
        case GET_PROMISE_COMMAND -> {
          GetPromiseCommandMessage g = (GetPromiseCommandMessage) m;
          Promise pr = t.promise(target.getService(), target.getKey(), g.getKey());
          if (pr != null && pr.getCompleted()) {
            notify(id, st, MessageType.GET_PROMISE_COMPLETION, completion(g.getResultCompletionId(), pr.getOutcome()));
          } else {
            Promise.Builder b = pr == null ? Promise.newBuilder() : pr.toBuilder();
            b.addWaiters(Caller.newBuilder().setInvocationId(ByteString.copyFrom(id.toBytes()))
                .setCompletionId(g.getResultCompletionId()));
            t.putPromise(target.getService(), target.getKey(), g.getKey(), b.build());
          }
        }
        case PEEK_PROMISE_COMMAND -> {
          PeekPromiseCommandMessage g = (PeekPromiseCommandMessage) m;
          Promise pr = t.promise(target.getService(), target.getKey(), g.getKey());
          NotificationTemplate n = pr != null && pr.getCompleted()
              ? completion(g.getResultCompletionId(), pr.getOutcome())
              : NotificationTemplate.newBuilder().setCompletionId(g.getResultCompletionId())
                  .setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance()).build();
          notify(id, st, MessageType.PEEK_PROMISE_COMPLETION, n);
        }
        case COMPLETE_PROMISE_COMMAND -> onCompletePromise(id, st, (CompletePromiseCommandMessage) m);
        case ATTACH_INVOCATION_COMMAND -> {
          AttachInvocationCommandMessage a = (AttachInvocationCommandMessage) m;
          askTarget(id, attachTarget(a.getTargetCase() == AttachInvocationCommandMessage.TargetCase.INVOCATION_ID
                  ? a.getInvocationId() : null, a.getIdempotentRequestTarget(), a.getWorkflowTarget(),
                  a.getTargetCase() == AttachInvocationCommandMessage.TargetCase.WORKFLOW_TARGET),
              IngressQuery.Kind.ATTACH, a.getResultCompletionId(), MessageType.ATTACH_INVOCATION_COMPLETION);
        }
        case GET_INVOCATION_OUTPUT_COMMAND -> {
          GetInvocationOutputCommandMessage g = (GetInvocationOutputCommandMessage) m;
          askTarget(id, attachTarget(g.getTargetCase() == GetInvocationOutputCommandMessage.TargetCase.INVOCATION_ID
                  ? g.getInvocationId() : null, g.getIdempotentRequestTarget(), g.getWorkflowTarget(),
                  g.getTargetCase() == GetInvocationOutputCommandMessage.TargetCase.WORKFLOW_TARGET),
              IngressQuery.Kind.OUTPUT, g.getResultCompletionId(), MessageType.GET_INVOCATION_OUTPUT_COMPLETION);
        }
        default -> { }
      }
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      // the invoker validates before appending; a record that still fails is kept in the journal
    }
    t.putStatus(id, st.build());
  }

  private void onCompletePromise(InvocationId id, InvocationStatus.Builder st, CompletePromiseCommandMessage c) {
    Target target = st.getTarget();
    Promise pr = t.promise(target.getService(), target.getKey(), c.getKey());
    if (pr != null && pr.getCompleted()) {
      notify(id, st, MessageType.COMPLETE_PROMISE_COMPLETION, NotificationTemplate.newBuilder()
          .setCompletionId(c.getResultCompletionId())
          .setFailure(dev.resolute.protocol.pb.Failure.newBuilder().setCode(409)
              .setMessage("promise was already completed")).build());
      return;
    }
    dev.resolute.server.pb.Outcome outcome = c.hasCompletionFailure()
        ? failure(c.getCompletionFailure().getCode(), c.getCompletionFailure().getMessage())
        : dev.resolute.server.pb.Outcome.newBuilder().setSuccess(c.getCompletionValue().getContent()).build();
    t.putPromise(target.getService(), target.getKey(), c.getKey(),
        Promise.newBuilder().setCompleted(true).setOutcome(outcome).build());
    notify(id, st, MessageType.COMPLETE_PROMISE_COMPLETION, NotificationTemplate.newBuilder()
        .setCompletionId(c.getResultCompletionId()).setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance()).build());
    t.putStatus(id, st.build());
    if (pr != null) {
      for (Caller w : pr.getWaitersList()) {
        InvocationId wid = InvocationId.fromBytes(w.getInvocationId().toByteArray());
        if (wid.equals(id)) {
          notify(id, st, MessageType.GET_PROMISE_COMPLETION, completion(w.getCompletionId(), outcome));
          continue;
        }
        InvocationStatus ws = t.status(wid);
        if (ws != null && ws.getPhase() != InvocationStatus.Phase.COMPLETED) {
          InvocationStatus.Builder wb = ws.toBuilder();
          notify(wid, wb, MessageType.GET_PROMISE_COMPLETION, completion(w.getCompletionId(), outcome));
          if (wb.getPhase() != InvocationStatus.Phase.INVOKED || wb.getAttempt() == ws.getAttempt()) {
            t.putStatus(wid, wb.build());
          }
        }
      }
    }
  }

  /** The invocation an Attach/GetInvocationOutput command names. */
  private static InvocationId attachTarget(String invocationId, IdempotentRequestTarget ik, WorkflowTarget wf,
      boolean workflow) {
    if (invocationId != null) {
      return InvocationId.parse(invocationId);
    }
    if (workflow) {
      return dev.resolute.protocol.id.DeterministicIds.workflowRun(wf.getWorkflowName(), wf.getWorkflowKey());
    }
    return dev.resolute.protocol.id.DeterministicIds.idempotent(ik.getServiceName(),
        ik.hasServiceKey() ? ik.getServiceKey() : null, ik.getHandlerName(), ik.getIdempotencyKey());
  }

  /** Ships an attach/output question to the partition of {@code target}; the answer comes back as a CompleteCall. */
  private void askTarget(InvocationId caller, InvocationId target, IngressQuery.Kind kind, int completionId,
      MessageType notification) {
    ship(target, Envelope.newBuilder().setIngressQuery(IngressQuery.newBuilder()
        .setInvocationId(ByteString.copyFrom(target.toBytes())).setKind(kind)
        .setCaller(Caller.newBuilder().setInvocationId(ByteString.copyFrom(caller.toBytes()))
            .setCompletionId(completionId).setNotificationType(notification.code()))).build());
  }

  private static long expiresAt(InvocationStatus st) {
    return st.getCompletedAt() + st.getCompletionRetentionMillis();
  }

  /** Deterministic id of an invocation created by a handler's command. */
  private InvocationId calleeId(InvocationId caller, int commandIndex, Target target, String idempotencyKey) {
    if (idempotencyKey != null && !idempotencyKey.isEmpty()) {
      return dev.resolute.protocol.id.DeterministicIds.idempotent(target.getService(),
          target.getKeyed() ? target.getKey() : null, target.getHandler(), idempotencyKey);
    }
    if (target.getKind() == Target.Kind.WORKFLOW_RUN) {
      return dev.resolute.protocol.id.DeterministicIds.workflowRun(target.getService(), target.getKey());
    }
    byte[] digest = sha256(caller.toBytes(), ByteBuffer.allocate(4).putInt(commandIndex).array());
    byte[] uuid = java.util.Arrays.copyOf(digest, 16);
    long pk = target.getKeyed()
        ? dev.resolute.protocol.id.PartitionKeys.keyed(target.getKey())
        : dev.resolute.protocol.id.PartitionKeys.bucket(target.getService(),
            Long.remainderUnsigned(ByteBuffer.wrap(digest, 16, 8).getLong(), 512));
    return new InvocationId(pk, uuid);
  }

  private Invoke.Builder invokeFor(InvocationId callee, InvokerEvent ev, ByteString param,
      List<dev.resolute.protocol.pb.Header> headers, String idempotencyKey, long executionTime) {
    Invoke.Builder b = Invoke.newBuilder()
        .setInvocationId(ByteString.copyFrom(callee.toBytes()))
        .setTarget(ev.getCallTarget())
        .setInput(param)
        .setIdempotencyKey(idempotencyKey)
        .setExecutionTimeMillis(executionTime)
        .setCompletionRetentionMillis(ev.getCompletionRetentionMillis())
        .setParentInvocationId(ev.getInvocationId());
    for (dev.resolute.protocol.pb.Header h : headers) {
      b.addHeaders(Header.newBuilder().setKey(h.getKey()).setValue(h.getValue()));
    }
    return b;
  }

  // ---------------------------------------------------------------- completion

  private void complete(InvocationId id, InvocationStatus.Builder st, dev.resolute.server.pb.Outcome outcome) {
    boolean wasRunning = st.getPhase() == InvocationStatus.Phase.INVOKED;
    st.setPhase(InvocationStatus.Phase.COMPLETED).setOutcome(outcome).setCompletedAt(now).setModifiedAt(now)
        .clearWaiting();
    for (Caller c : st.getCallersList()) {
      shipCompletion(c, outcome);
    }
    for (long w : st.getIngressWaitersList()) {
      reply(w, new InvocationResult(id, toApi(outcome)));
    }
    st.clearCallers().clearIngressWaiters();
    t.putStatus(id, st.build());
    if (wasRunning) {
      out.add(new Effect.AbortAttempt(id));
    }
    Target target = st.getTarget();
    if (takesLock(target)) {
      InvocationId holder = t.lockHolder(target.getService(), target.getKey());
      if (id.equals(holder)) {
        t.unlock(target.getService(), target.getKey());
        startNextInInbox(target.getService(), target.getKey());
      }
    }
    timer(now + st.getCompletionRetentionMillis(), Timer.newBuilder()
        .setInvocationId(ByteString.copyFrom(id.toBytes())).setCleanup(true).build());
  }

  private void startNextInInbox(String service, String key) {
    InvocationId next;
    while ((next = t.dequeue(service, key)) != null) {
      InvocationStatus ns = t.status(next);
      if (ns != null && ns.getPhase() == InvocationStatus.Phase.INBOXED) {
        t.lock(service, key, next);
        startAttempt(next, ns.toBuilder());
        return;
      }
    }
  }

  private void shipCompletion(Caller c, dev.resolute.server.pb.Outcome outcome) {
    InvocationId caller = InvocationId.fromBytes(c.getInvocationId().toByteArray());
    ship(caller, Envelope.newBuilder().setCompleteCall(CompleteCall.newBuilder()
        .setInvocationId(c.getInvocationId()).setCompletionId(c.getCompletionId()).setOutcome(outcome)
        .setNotificationType(c.getNotificationType())).build());
  }

  private void onCompleteCall(CompleteCall c) {
    InvocationId id = InvocationId.fromBytes(c.getInvocationId().toByteArray());
    InvocationStatus cur = t.status(id);
    if (cur == null || cur.getPhase() == InvocationStatus.Phase.COMPLETED) {
      return;
    }
    InvocationStatus.Builder st = cur.toBuilder();
    MessageType type = c.getNotificationType() == 0 ? MessageType.CALL_COMPLETION
        : MessageType.fromCode(c.getNotificationType());
    notify(id, st, type, completion(c.getCompletionId(), c.getOutcome()));
    putIfStillSame(id, cur, st);
  }

  private void onSignal(Signal s) {
    InvocationId id = InvocationId.fromBytes(s.getInvocationId().toByteArray());
    InvocationStatus cur = t.status(id);
    if (cur != null && s.getIdCase() == Signal.IdCase.IDX && s.getIdx() == BuiltInSignal.CANCEL_VALUE
        && (cur.getPhase() == InvocationStatus.Phase.SCHEDULED || cur.getPhase() == InvocationStatus.Phase.INBOXED)) {
      // a cancel propagated by a caller to a callee that has not started: cancelled at once and
      // never run, as restate-server 1.7.12 does (and as the admin cancel does)
      complete(id, cur.toBuilder(), failure(409, "canceled"));
      forget(id);
    } else if (cur != null && cur.getPhase() != InvocationStatus.Phase.COMPLETED) {
      NotificationTemplate.Builder n = NotificationTemplate.newBuilder();
      if (s.getIdCase() == Signal.IdCase.NAME) {
        n.setSignalName(s.getName());
      } else {
        n.setSignalId(s.getIdx());
      }
      switch (s.getResultCase()) {
        case VALUE -> n.setValue(Value.newBuilder().setContent(s.getValue()));
        case FAILURE -> n.setFailure(dev.resolute.protocol.pb.Failure.newBuilder()
            .setCode(s.getFailure().getCode()).setMessage(s.getFailure().getMessage()));
        default -> n.setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance());
      }
      InvocationStatus.Builder st = cur.toBuilder();
      notify(id, st, MessageType.SIGNAL_NOTIFICATION, n.build());
      putIfStillSame(id, cur, st);
    }
    if (s.getIngressRequest() != 0) {
      reply(s.getIngressRequest(), null);
    }
  }

  /** notify() may already have started a new attempt and stored the status; store otherwise. */
  private void putIfStillSame(InvocationId id, InvocationStatus before, InvocationStatus.Builder st) {
    InvocationStatus now2 = t.status(id);
    if (now2 == null || now2.getAttempt() == before.getAttempt() && now2.getPhase() == before.getPhase()) {
      t.putStatus(id, st.build());
    }
  }

  private void onTimer(byte[] key) {
    Timer timer = t.timer(key);
    if (timer == null) {
      return;
    }
    t.deleteTimer(key);
    InvocationId id = InvocationId.fromBytes(timer.getInvocationId().toByteArray());
    InvocationStatus cur = t.status(id);
    if (cur == null) {
      return;
    }
    switch (timer.getKindCase()) {
      case SLEEP_COMPLETION_ID -> {
        if (cur.getPhase() != InvocationStatus.Phase.COMPLETED) {
          InvocationStatus.Builder st = cur.toBuilder();
          notify(id, st, MessageType.SLEEP_COMPLETION, NotificationTemplate.newBuilder()
              .setCompletionId(timer.getSleepCompletionId()).setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance()).build());
          putIfStillSame(id, cur, st);
        }
      }
      case START_SCHEDULED -> {
        if (cur.getPhase() == InvocationStatus.Phase.SCHEDULED) {
          enqueueOrStart(id, cur.toBuilder());
        }
      }
      case RETRY_ATTEMPT -> {
        if (cur.getPhase() == InvocationStatus.Phase.BACKING_OFF && cur.getAttempt() == timer.getRetryAttempt()) {
          startAttempt(id, cur.toBuilder());
        }
      }
      case CLEANUP -> {
        if (cur.getPhase() == InvocationStatus.Phase.COMPLETED) {
          t.deleteJournal(id);
          t.deleteStatus(id);
          Target target = cur.getTarget();
          if (target.getKind() == Target.Kind.WORKFLOW_RUN) {
            // workflow retention over: its state and promises go with it
            t.clearState(target.getService(), target.getKey());
            t.clearPromises(target.getService(), target.getKey());
          }
        }
      }
      default -> { }
    }
  }

  private void onQuery(IngressQuery q) {
    InvocationId id = InvocationId.fromBytes(q.getInvocationId().toByteArray());
    InvocationStatus cur = t.status(id);
    long req = q.getIngressRequest();
    Caller caller = q.hasCaller() ? q.getCaller() : null;
    boolean completed = cur != null && cur.getPhase() == InvocationStatus.Phase.COMPLETED;
    switch (q.getKind()) {
      case ATTACH -> {
        if (cur == null) {
          // restate-server answers an attach to an unknown invocation as a failed invocation
          answer(caller, req, id, failure(404, "not found"), 0);
        } else if (completed) {
          answer(caller, req, id, cur.getOutcome(), expiresAt(cur));
        } else if (caller != null) {
          t.putStatus(id, cur.toBuilder().addCallers(caller).build());
        } else {
          t.putStatus(id, cur.toBuilder().addIngressWaiters(req).build());
        }
      }
      case OUTPUT -> {
        if (cur == null) {
          if (caller != null) {
            shipCompletion(caller, failure(404, "not found"));
          } else {
            reply(req, new DispatchException(404, "invocation not found"));
          }
        } else if (caller != null) {
          shipCompletion(caller, completed ? cur.getOutcome() : dev.resolute.server.pb.Outcome.getDefaultInstance());
        } else {
          reply(req, completed ? Optional.of(new InvocationResult(id, toApi(cur.getOutcome()), expiresAt(cur)))
              : Optional.empty());
        }
      }
      case CANCEL -> {
        if (cur == null) {
          reply(req, new DispatchException(404, "invocation " + id + " not found"));
        } else if (completed) {
          reply(req, new DispatchException(409, "The invocation '" + id + "' was already completed."));
        } else if (cur.getPhase() == InvocationStatus.Phase.SCHEDULED
            || cur.getPhase() == InvocationStatus.Phase.INBOXED) {
          // never started: cancelled at once, and (like restate-server 1.7.12) not kept, whether
          // idempotent, a workflow run or neither: the same send is accepted anew afterwards
          complete(id, cur.toBuilder(), failure(409, "canceled"));
          forget(id);
          reply(req, Boolean.TRUE);
        } else {
          InvocationStatus.Builder st = cur.toBuilder();
          notify(id, st, MessageType.SIGNAL_NOTIFICATION, NotificationTemplate.newBuilder()
              .setSignalId(BuiltInSignal.CANCEL_VALUE).setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance()).build());
          if (st.getPhase() == InvocationStatus.Phase.PAUSED) {
            // let the handler see the cancel now, with a fresh retry budget as a resume gives
            // (restate-server 1.7.12 retries a paused invocation as many times again)
            startAttempt(id, st.setRetryCount(0).setPolicyFailures(0));
          } else if (st.getPhase() == InvocationStatus.Phase.BACKING_OFF) {
            startAttempt(id, st); // let the handler see the cancel now
          } else {
            putIfStillSame(id, cur, st);
          }
          reply(req, Boolean.FALSE);
        }
      }
      case KILL -> {
        if (cur == null) {
          reply(req, new DispatchException(404, "invocation " + id + " not found"));
        } else if (completed) {
          reply(req, new DispatchException(409, "The invocation '" + id + "' was already completed."));
        } else {
          killPendingCallees(id);
          complete(id, cur.toBuilder(), failure(409, "killed"));
          if (cur.getPhase() == InvocationStatus.Phase.SCHEDULED || cur.getPhase() == InvocationStatus.Phase.INBOXED) {
            forget(id); // never started: not kept, as cancel (restate-server 1.7.12)
          }
          reply(req, null);
        }
      }
      case RESUME -> {
        // restate-server 1.7.12: 200 for running/suspended/backing-off/paused (a fresh retry budget)
        if (cur == null) {
          reply(req, new DispatchException(404, "invocation " + id + " not found"));
        } else if (completed) {
          reply(req, new DispatchException(409, "The invocation '" + id + "' is completed, cannot be resumed."));
        } else if (cur.getPhase() == InvocationStatus.Phase.SCHEDULED
            || cur.getPhase() == InvocationStatus.Phase.INBOXED) {
          reply(req, new DispatchException(425,
              "The invocation '" + id + "' is either inboxed or scheduled, cannot be resumed."));
        } else {
          if (cur.getPhase() != InvocationStatus.Phase.INVOKED) {
            startAttempt(id, cur.toBuilder().setRetryCount(0).setPolicyFailures(0));
          }
          reply(req, 200);
        }
      }
      case PAUSE -> {
        if (cur == null) {
          reply(req, new DispatchException(404, "invocation " + id + " not found"));
        } else if (cur.getPhase() == InvocationStatus.Phase.PAUSED
            || cur.getPhase() == InvocationStatus.Phase.SUSPENDED) {
          // restate-server 1.7.12 answers "already paused" for a suspended invocation and leaves it suspended
          reply(req, 200);
        } else if (completed || cur.getPhase() == InvocationStatus.Phase.SCHEDULED
            || cur.getPhase() == InvocationStatus.Phase.INBOXED) {
          reply(req, new DispatchException(409, "The invocation '" + id + "' is not running, cannot be paused."));
        } else {
          if (cur.getPhase() == InvocationStatus.Phase.INVOKED) {
            out.add(new Effect.AbortAttempt(id)); // its late events are fenced: the phase is no longer INVOKED
          }
          t.putStatus(id, cur.toBuilder().setPhase(InvocationStatus.Phase.PAUSED).clearWaiting().setModifiedAt(now)
              .build());
          reply(req, 202);
        }
      }
      case PURGE, PURGE_JOURNAL -> {
        if (cur == null) {
          reply(req, new DispatchException(404, "invocation " + id + " not found"));
        } else if (!completed) {
          reply(req, new DispatchException(409, "The invocation '" + id + "' is not yet completed."));
        } else {
          t.deleteJournal(id);
          if (q.getKind() == IngressQuery.Kind.PURGE) {
            t.deleteStatus(id);
            Target target = cur.getTarget();
            if (target.getKind() == Target.Kind.WORKFLOW_RUN) {
              t.clearState(target.getService(), target.getKey());
              t.clearPromises(target.getService(), target.getKey());
            }
          } else {
            t.putStatus(id, cur.toBuilder().setJournalLength(0).build());
          }
          reply(req, 200);
        }
      }
      default -> { }
    }
  }

  /** The answer to an attach: to the handler that asked, or to the waiting ingress request. */
  private void answer(Caller caller, long req, InvocationId id, dev.resolute.server.pb.Outcome outcome,
      long expiresAt) {
    if (caller != null) {
      shipCompletion(caller, outcome);
    } else {
      reply(req, new InvocationResult(id, toApi(outcome), expiresAt));
    }
  }

  private void forget(InvocationId id) {
    t.deleteJournal(id);
    t.deleteStatus(id);
  }

  /**
   * Kill reaches the whole call tree: every invocation this one created with a call whose result it
   * still waits for, and (as restate-server 1.7.12 does, observed) every one-way child too.
   */
  private void killPendingCallees(InvocationId id) {
    java.util.Map<Integer, Integer> idxToResult = new java.util.HashMap<>();
    java.util.Map<Integer, String> calleeByIdx = new java.util.LinkedHashMap<>();
    java.util.Set<Integer> completedResults = new java.util.HashSet<>();
    for (JournalEntry e : t.journal(id)) {
      MessageType type = MessageType.fromCode(e.getType());
      try {
        if (type == MessageType.CALL_COMMAND) {
          CallCommandMessage c = CallCommandMessage.parseFrom(e.getPayload());
          idxToResult.put(c.getInvocationIdNotificationIdx(), c.getResultCompletionId());
        } else if (type == MessageType.CALL_INVOCATION_ID_COMPLETION) {
          NotificationTemplate n = NotificationTemplate.parseFrom(e.getPayload());
          calleeByIdx.put(n.getCompletionId(), n.getInvocationId());
        } else if (type == MessageType.CALL_COMPLETION) {
          completedResults.add(NotificationTemplate.parseFrom(e.getPayload()).getCompletionId());
        }
      } catch (InvalidProtocolBufferException ignored) {
        // not readable: nothing to propagate
      }
    }
    for (java.util.Map.Entry<Integer, String> child : calleeByIdx.entrySet()) {
      Integer result = idxToResult.get(child.getKey());
      if (result != null && completedResults.contains(result)) {
        continue; // a call that already returned
      }
      InvocationId cid = InvocationId.parse(child.getValue());
      ship(cid, Envelope.newBuilder().setKill(Kill.newBuilder().setInvocationId(ByteString.copyFrom(cid.toBytes())))
          .build());
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Appends a notification; forwards it to a live attempt or resumes a suspended one. */
  private void notify(InvocationId id, InvocationStatus.Builder st, MessageType type, NotificationTemplate n) {
    JournalEntry e = entry(type, n);
    appendEntry(id, st, e);
    if (st.getPhase() == InvocationStatus.Phase.INVOKED) {
      out.add(new Effect.Forward(id, st.getAttempt(), e));
    } else if (st.getPhase() == InvocationStatus.Phase.SUSPENDED && matches(st.getWaiting(), n)) {
      startAttempt(id, st);
    }
  }

  private void appendEntry(InvocationId id, InvocationStatus.Builder st, JournalEntry e) {
    t.putEntry(id, st.getJournalLength(), e);
    st.setJournalLength(st.getJournalLength() + 1).setLastEntryAt(now).setRetryCount(0);
  }

  private boolean satisfiedByJournal(InvocationId id, Suspended s) {
    for (JournalEntry e : t.journal(id)) {
      MessageType type = MessageType.fromCode(e.getType());
      if (type != null && type.isNotification()) {
        try {
          if (matches(s, NotificationTemplate.parseFrom(e.getPayload()))) {
            return true;
          }
        } catch (InvalidProtocolBufferException ignored) {
          // not a notification we can read
        }
      }
    }
    return false;
  }

  private static boolean matches(Suspended s, NotificationTemplate n) {
    return switch (n.getIdCase()) {
      case COMPLETION_ID -> s.getCompletionsList().contains(n.getCompletionId());
      case SIGNAL_ID -> s.getSignalsList().contains(n.getSignalId());
      case SIGNAL_NAME -> s.getNamedSignalsList().contains(n.getSignalName());
      default -> false;
    };
  }

  private void timer(long time, Timer timer) {
    byte[] key = t.putTimer(time, timer);
    out.add(new Effect.RegisterTimer(key, time));
  }

  private void ship(InvocationId target, Envelope env) {
    int targetPartition = partitioning.partitionOf(target.partitionKey());
    long seq = t.nextSeq("outbox");
    Envelope e = env.toBuilder().setSourcePartition(partition).setSourceSeq(seq).build();
    t.putOutbox(seq, OutboxMessage.newBuilder().setTargetPartition(targetPartition).setEnvelope(e).build());
    out.add(new Effect.Ship(seq, targetPartition, e));
  }

  private void reply(long requestId, Object result) {
    if (requestId != 0) {
      out.add(new Effect.Reply(requestId, result));
    }
  }

  static JournalEntry entry(MessageType type, MessageLite m) {
    return JournalEntry.newBuilder().setType(type.code()).setPayload(m.toByteString()).build();
  }

  private static NotificationTemplate completion(int completionId, dev.resolute.server.pb.Outcome o) {
    NotificationTemplate.Builder n = NotificationTemplate.newBuilder().setCompletionId(completionId);
    if (o.getResultCase() == dev.resolute.server.pb.Outcome.ResultCase.RESULT_NOT_SET) {
      n.setVoid(dev.resolute.protocol.pb.Void.getDefaultInstance());
    } else if (o.hasFailure()) {
      n.setFailure(dev.resolute.protocol.pb.Failure.newBuilder().setCode(o.getFailure().getCode())
          .setMessage(o.getFailure().getMessage()));
    } else {
      n.setValue(Value.newBuilder().setContent(o.getSuccess()));
    }
    return n.build();
  }

  static dev.resolute.server.pb.Outcome failure(int code, String message) {
    return dev.resolute.server.pb.Outcome.newBuilder()
        .setFailure(Failure.newBuilder().setCode(code).setMessage(message)).build();
  }

  static dev.resolute.server.api.Outcome toApi(dev.resolute.server.pb.Outcome o) {
    if (o.hasFailure()) {
      return new dev.resolute.server.api.Outcome.Failure(o.getFailure().getCode(), o.getFailure().getMessage(),
          o.getFailure().getStacktrace().isEmpty() ? null : o.getFailure().getStacktrace());
    }
    return dev.resolute.server.api.Outcome.success(o.getSuccess().toByteArray());
  }

  private static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        d.update(p);
      }
      return d.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
