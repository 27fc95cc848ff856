package dev.resolute.server.partition;

import static dev.resolute.server.partition.Apply.raw;
import static dev.resolute.server.partition.Outcomes.completion;
import static dev.resolute.server.partition.Outcomes.entry;
import static dev.resolute.server.partition.Outcomes.failure;
import static dev.resolute.server.partition.Outcomes.toApi;
import static dev.resolute.server.partition.StateMachine.DEFAULT_RETENTION_MILLIS;
import static dev.resolute.server.partition.StateMachine.RUNNING_INDEX;
import static dev.resolute.server.partition.StateMachine.WORKFLOW_ALREADY_INVOKED;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.InputCommandMessage;
import dev.resolute.protocol.pb.Value;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.api.SubmitResult;
import dev.resolute.server.metrics.InvocationMetrics.Event;
import dev.resolute.server.pb.AttemptFailed;
import dev.resolute.server.pb.Caller;
import dev.resolute.server.pb.Failure;
import dev.resolute.server.pb.Header;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.Invoke;
import dev.resolute.server.pb.InvokerEvent;
import dev.resolute.server.pb.Outcome;
import dev.resolute.server.pb.ProposeRun;
import dev.resolute.server.pb.Suspended;
import dev.resolute.server.pb.Target;
import dev.resolute.server.pb.Timer;
import java.util.List;

/**
 * The invocation lifecycle: a new (or duplicate) invocation, its start behind the key's lock or in
 * the inbox, attempts and what the invoker reports of them (suspension, failure and retry, end),
 * completion and the start of the next invocation in the inbox. Every phase change goes through
 * {@link Phase#move}.
 */
final class Lifecycle {
  private Lifecycle() {}

  static void onInvoke(Apply cx, Invoke inv) {
    InvocationId id = InvocationId.fromBytes(inv.getInvocationId().toByteArray());
    InvocationStatus existing = cx.t.status(id);
    if (existing != null) {
      onDuplicateInvoke(cx, id, existing, inv);
      return;
    }
    // a new status is SCHEDULED (the stored default) until it is started or inboxed
    InvocationStatus.Builder st =
        InvocationStatus.newBuilder()
            .setTarget(inv.getTarget())
            .setCreatedAt(cx.now)
            .setModifiedAt(cx.now)
            .setIdempotencyKey(inv.getIdempotencyKey())
            .setExecutionTimeMillis(inv.getExecutionTimeMillis())
            .setCompletionRetentionMillis(
                inv.getCompletionRetentionMillis() > 0
                    ? inv.getCompletionRetentionMillis()
                    : DEFAULT_RETENTION_MILLIS);
    if (inv.hasCaller()) {
      st.addCallers(inv.getCaller());
    }
    if (inv.hasTrace()) {
      st.setTrace(inv.getTrace());
    }
    if (!inv.getScope().isEmpty()) {
      st.setScope(inv.getScope()).setLimitKey(inv.getLimitKey());
    }
    if (!inv.getParentInvocationId().isEmpty()) {
      st.setInvokedById(inv.getParentInvocationId()).setInvokedByTarget(inv.getParentTarget());
    }
    if (!inv.getSubscriptionId().isEmpty()) {
      st.setInvokedBySubscriptionId(inv.getSubscriptionId());
    }
    if (inv.getIngressRequest() != 0) {
      if (inv.getIngressWantsResult()) {
        st.addIngressWaiters(inv.getIngressRequest());
      } else {
        cx.reply(
            inv.getIngressRequest(),
            new Answer.Submitted(new SubmitResult(id, false, inv.getExecutionTimeMillis())));
      }
    }
    InputCommandMessage.Builder input =
        InputCommandMessage.newBuilder().setValue(Value.newBuilder().setContent(inv.getInput()));
    for (Header h : inv.getHeadersList()) {
      input.addHeaders(
          dev.resolute.protocol.pb.Header.newBuilder().setKey(h.getKey()).setValue(h.getValue()));
    }
    cx.t.putEntry(
        id,
        0,
        entry(MessageType.INPUT_COMMAND, input.build()).toBuilder().setAppendedAt(cx.now).build());
    st.setJournalLength(1).setCommands(1).setLastEntryAt(cx.now);
    if (inv.getExecutionTimeMillis() > cx.now) {
      cx.t.putStatus(id, st.build());
      cx.timer(
          inv.getExecutionTimeMillis(),
          Timer.newBuilder()
              .setInvocationId(inv.getInvocationId())
              .setStartScheduled(true)
              .build());
    } else {
      enqueueOrStart(cx, id, st);
    }
  }

  private static void onDuplicateInvoke(
      Apply cx, InvocationId id, InvocationStatus existing, Invoke inv) {
    InvocationStatus.Builder st = existing.toBuilder();
    Phase phase = Phase.of(existing);
    boolean completed = phase == Phase.COMPLETED;
    // a workflow's run handler runs once per id: a second call is refused, a second send is
    // "previously accepted" (restate-server 1.7.12)
    boolean workflowRun = existing.getTarget().getKind() == Target.Kind.WORKFLOW_RUN;
    long req = inv.getIngressRequest();
    if (req != 0) {
      if (!inv.getIngressWantsResult()) {
        // restate-server names the execution time only while the invocation is still scheduled
        cx.reply(
            req,
            new Answer.Submitted(
                new SubmitResult(
                    id, true, phase == Phase.SCHEDULED ? existing.getExecutionTimeMillis() : 0)));
      } else if (workflowRun) {
        cx.reply(
            req,
            new Answer.Invoked(
                new InvocationResult(
                    id, dev.resolute.server.api.Outcome.failure(409, WORKFLOW_ALREADY_INVOKED))));
      } else if (completed) {
        cx.reply(req, new Answer.Invoked(Outcomes.stored(id, existing)));
      } else {
        st.addIngressWaiters(req);
      }
    }
    if (inv.hasCaller()) {
      if (workflowRun) {
        cx.shipCompletion(inv.getCaller(), failure(409, WORKFLOW_ALREADY_INVOKED));
      } else if (completed) {
        cx.shipCompletion(inv.getCaller(), existing.getOutcome());
      } else {
        st.addCallers(inv.getCaller());
      }
    }
    cx.t.putStatus(id, st.build());
  }

  static boolean takesLock(Target target) {
    return target.getKeyed() && target.getKind() != Target.Kind.SHARED;
  }

  /** Starts a due invocation, or puts it in its key's inbox while another holds the key's lock. */
  static void enqueueOrStart(Apply cx, InvocationId id, InvocationStatus.Builder st) {
    if (!LimitHooks.admit(cx, id, st)) {
      return; // waits in the limit queue
    }
    Target target = st.getTarget();
    if (takesLock(target)) {
      InvocationId holder = cx.t.lockHolder(target.getService(), target.getKey());
      if (holder != null && !holder.equals(id)) {
        Phase.move(st, Phase.INBOXED).setInboxedAt(cx.now);
        cx.t.putStatus(id, st.build());
        cx.t.enqueue(target.getService(), target.getKey(), id);
        return;
      }
      cx.t.lock(target.getService(), target.getKey(), id);
    }
    startAttempt(cx, id, st);
  }

  /** Starts a new attempt (attempt + 1), stores the status and asks the invoker to run it. */
  static void startAttempt(Apply cx, InvocationId id, InvocationStatus.Builder st) {
    Phase.move(st, Phase.INVOKED)
        .setAttempt(st.getAttempt() + 1)
        .setTotalAttempts(st.getTotalAttempts() + 1)
        .clearWaiting()
        .setModifiedAt(cx.now)
        .setLastStartAt(cx.now)
        .clearNextRetryAt();
    if (st.getTotalAttempts() == 1) {
      cx.count(st, Event.STARTED);
    }
    if (st.getRunningAt() == 0) {
      st.setRunningAt(cx.now);
    }
    InvocationStatus s = st.build();
    cx.t.putStatus(id, s);
    Target target = s.getTarget();
    List<byte[][]> state =
        target.getKeyed() ? cx.t.allState(target.getService(), target.getKey()) : List.of();
    cx.effect(
        new Effect.StartAttempt(
            id, s, cx.t.journal(id, s.getJournalLength()), state, !target.getKeyed()));
  }

  /**
   * Restarts every running (INVOKED) invocation, found through the running index. A store written
   * before the index existed has no {@value StateMachine#RUNNING_INDEX} marker: its statuses are
   * read once, the index is built from them and the marker set, all in this record's batch.
   */
  static void onResumeAll(Apply cx) {
    if (cx.t.meta(RUNNING_INDEX) == 0) {
      for (Object[] e : cx.t.allStatuses()) {
        if (Phase.of((InvocationStatus) e[1]) == Phase.INVOKED) {
          cx.t.markRunning((InvocationId) e[0]);
        }
      }
      cx.t.putMeta(RUNNING_INDEX, 1);
    }
    for (InvocationId id : cx.t.running()) {
      InvocationStatus st = cx.t.status(id);
      if (st != null && Phase.of(st) == Phase.INVOKED) {
        startAttempt(cx, id, st.toBuilder());
      }
    }
  }

  // ---------------------------------------------------------------- invoker events

  /**
   * An event of a running attempt. Events of any other attempt are dropped (fencing). A command
   * whose {@code commandIndex} (as its attempt counted: the stored command count when it started
   * plus the commands it sent before) is not the next index of the stored journal comes from an
   * attempt whose view of the journal is not the stored one; journaling it would add a command the
   * journal already holds (a second child of one call or send), so it is dropped and a new attempt
   * starts on the stored journal, which fences every later event of the old one. Each command of
   * the current attempt arrives in order and is journaled, so its index always matches; 0 (records
   * written without it) is not checked.
   */
  static void onInvokerEvent(Apply cx, InvokerEvent ev, int commandIndex) {
    InvocationId id = InvocationId.fromBytes(ev.getInvocationId().toByteArray());
    InvocationStatus cur = cx.t.status(id);
    if (cur == null || Phase.of(cur) != Phase.INVOKED || cur.getAttempt() != ev.getAttempt()) {
      return; // fenced: a late message of an earlier attempt
    }
    if (ev.hasCommand() && commandIndex != 0 && commandIndex != cur.getCommands()) {
      startAttempt(cx, id, cur.toBuilder().setModifiedAt(cx.now));
      return;
    }
    InvocationStatus.Builder st = cur.toBuilder().setModifiedAt(cx.now);
    if (st.getDeploymentId().isEmpty() && !ev.getDeploymentId().isEmpty()) {
      st.setDeploymentId(ev.getDeploymentId()).setProtocolVersion(ev.getProtocolVersion());
    }
    switch (ev.getEventCase()) {
      case COMMAND -> Commands.onCommand(cx, id, st, ev);
      case PROPOSE_RUN -> {
        ProposeRun pr = ev.getProposeRun();
        Notifications.notify(
            cx,
            id,
            st,
            MessageType.RUN_COMPLETION,
            completion(pr.getCompletionId(), pr.getOutcome()));
        cx.t.putStatus(id, st.build());
      }
      case SUSPENDED -> onSuspended(cx, id, st, ev.getSuspended());
      case FAILED -> onFailed(cx, id, st, ev.getFailed());
      case END ->
          complete(
              cx, id, st, st.getHasOutput() ? st.getOutcome() : Outcomes.success(ByteString.EMPTY));
      default -> cx.t.putStatus(id, st.build());
    }
  }

  private static void onSuspended(
      Apply cx, InvocationId id, InvocationStatus.Builder st, Suspended s) {
    if (s.getCompletionsCount() + s.getSignalsCount() + s.getNamedSignalsCount() == 0) {
      onFailed(
          cx,
          id,
          st,
          AttemptFailed.newBuilder()
              .setCode(571)
              .setMessage("empty suspension")
              .setNextRetryDelayMillis(-1)
              .build());
      return;
    }
    if (Notifications.satisfiedByJournal(cx, id, s)) {
      startAttempt(cx, id, st);
      return;
    }
    Phase.move(st, Phase.SUSPENDED).setWaiting(s).setPolicyFailures(0);
    cx.count(st, Event.SUSPENDED);
    cx.t.putStatus(id, st.build());
  }

  private static void onFailed(
      Apply cx, InvocationId id, InvocationStatus.Builder st, AttemptFailed f) {
    st.setLastFailure(FailureText.of(f.getCode(), f.getMessage(), f.getStacktrace()))
        .setLastFailureErrorCode(f.getRestateCode())
        .setRetryCount(st.getRetryCount() + 1);
    FailureText.recordLastRelated(st, f);
    if (f.getExhausted() && !f.getKillOnExhausted()) {
      // restate-server records the failure that pauses an invocation in its Paused event only
      FailureText.recordPaused(st, f, cx.now);
    } else {
      FailureText.recordEvent(st, f, cx.now);
    }
    if (f.getPolicyRetry()) {
      st.setPolicyFailures(st.getPolicyFailures() + 1);
    }
    if (f.getExhausted()) {
      if (f.getKillOnExhausted()) {
        complete(
            cx,
            id,
            st,
            Outcome.newBuilder()
                .setFailure(
                    Failure.newBuilder()
                        .setCode(f.getCode() == 0 ? 500 : f.getCode())
                        .setMessage(f.getMessage())
                        .setStacktrace(f.getStacktrace()))
                .build());
      } else {
        Phase.move(st, Phase.PAUSED);
        cx.count(st, Event.PAUSED);
        cx.t.putStatus(id, st.build());
      }
      return;
    }
    long delay = Math.max(0, f.getNextRetryDelayMillis());
    Phase.move(st, Phase.BACKING_OFF).setNextRetryAt(cx.now + delay);
    cx.count(st, Event.RETRIED);
    cx.t.putStatus(id, st.build());
    cx.timer(
        cx.now + delay,
        Timer.newBuilder().setInvocationId(raw(id)).setRetryAttempt(st.getAttempt()).build());
  }

  // ---------------------------------------------------------------- completion

  /**
   * Completes an invocation with {@code outcome}: answers its callers and waiting requests, stops a
   * live attempt, releases the key's lock (starting the next in its inbox) and arms the cleanup of
   * the stored result after its retention.
   */
  static void complete(Apply cx, InvocationId id, InvocationStatus.Builder st, Outcome outcome) {
    boolean wasRunning = Phase.of(st) == Phase.INVOKED;
    LimitHooks.release(cx, st);
    Phase.move(st, Phase.COMPLETED)
        .setOutcome(outcome)
        .setCompletedAt(cx.now)
        .setModifiedAt(cx.now)
        .clearWaiting();
    cx.count(st, outcome.hasFailure() ? Event.FAILED : Event.COMPLETED);
    for (Caller c : st.getCallersList()) {
      cx.shipCompletion(c, outcome);
    }
    for (long w : st.getIngressWaitersList()) {
      cx.reply(w, new Answer.Invoked(new InvocationResult(id, toApi(outcome))));
    }
    st.clearCallers().clearIngressWaiters();
    InvocationStatus done = st.build();
    cx.t.putStatus(id, done);
    if (done.hasTrace()) {
      cx.effect(new Effect.InvocationEnded(id, done));
    }
    if (wasRunning) {
      cx.effect(new Effect.AbortAttempt(id));
    }
    Target target = st.getTarget();
    if (takesLock(target)) {
      InvocationId holder = cx.t.lockHolder(target.getService(), target.getKey());
      if (id.equals(holder)) {
        cx.t.unlock(target.getService(), target.getKey());
        startNextInInbox(cx, target.getService(), target.getKey());
      }
    }
    cx.timer(
        cx.now + st.getCompletionRetentionMillis(),
        Timer.newBuilder().setInvocationId(raw(id)).setCleanup(true).build());
  }

  /**
   * Hands the free lock to the inbox: state mutations at its head are applied in order, then the
   * first invocation still waiting takes the lock and starts.
   */
  private static void startNextInInbox(Apply cx, String service, String key) {
    Tables.InboxEntry entry;
    while ((entry = cx.t.dequeueEntry(service, key)) != null) {
      if (entry.mutation() != null) {
        Control.applyStateMutation(cx, entry.mutation());
        continue;
      }
      InvocationId next = entry.invocation();
      InvocationStatus ns = cx.t.status(next);
      if (ns != null && Phase.of(ns) == Phase.INBOXED) {
        cx.t.lock(service, key, next);
        startAttempt(cx, next, ns.toBuilder());
        return;
      }
    }
  }

  /** Deletes an invocation's status and journal (its result is not kept). */
  static void forget(Apply cx, InvocationId id) {
    cx.t.deleteJournal(id);
    cx.t.deleteStatus(id);
  }

  /**
   * Deletes a completed invocation: its journal, its status and, for a workflow run, its state and
   * promises.
   */
  static void purge(Apply cx, InvocationId id, Target target) {
    forget(cx, id);
    if (target.getKind() == Target.Kind.WORKFLOW_RUN) {
      // workflow retention over: its state and promises go with it
      cx.t.clearState(target.getService(), target.getKey());
      cx.t.clearPromises(target.getService(), target.getKey());
    }
  }
}
