package dev.resolute.server.partition;

import static dev.resolute.server.partition.Outcomes.VOID;
import static dev.resolute.server.partition.Outcomes.completion;
import static dev.resolute.server.partition.Outcomes.entry;
import static dev.resolute.server.partition.Outcomes.failure;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.BuiltInSignal;
import dev.resolute.protocol.pb.CompletePromiseCommandMessage;
import dev.resolute.protocol.pb.Failure;
import dev.resolute.protocol.pb.NotificationTemplate;
import dev.resolute.protocol.pb.Value;
import dev.resolute.server.pb.Caller;
import dev.resolute.server.pb.CompleteCall;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.JournalEntry;
import dev.resolute.server.pb.Outcome;
import dev.resolute.server.pb.Promise;
import dev.resolute.server.pb.Signal;
import dev.resolute.server.pb.Suspended;
import dev.resolute.server.pb.Target;
import dev.resolute.server.pb.Timer;

/**
 * What wakes an invocation up: notifications appended to its journal (forwarded to a live attempt,
 * or resuming a suspension they satisfy), fired timers, completions of its calls, signals and
 * completed promises.
 *
 * <p>{@link #notify} may start a new attempt, which stores the status; it says so, and the caller
 * stores the status itself only when it did not.
 */
final class Notifications {
  private Notifications() {}

  /**
   * Appends a notification; forwards it to a live attempt or resumes a suspended one it satisfies.
   * Returns true if it started an attempt (the status is then stored); otherwise {@code st} holds
   * the new journal length and the caller stores it.
   */
  static boolean notify(
      Apply cx,
      InvocationId id,
      InvocationStatus.Builder st,
      MessageType type,
      NotificationTemplate n) {
    JournalEntry e = entry(type, n);
    cx.appendEntry(id, st, e);
    Phase phase = Phase.of(st);
    if (phase == Phase.INVOKED) {
      cx.effect(new Effect.Forward(id, st.getAttempt(), e));
    } else if (phase == Phase.SUSPENDED && matches(st.getWaiting(), n)) {
      Lifecycle.startAttempt(cx, id, st);
      return true;
    }
    return false;
  }

  /** Notifies and stores the status (once: {@link #notify} stores it when it starts an attempt). */
  static void notifyAndStore(
      Apply cx,
      InvocationId id,
      InvocationStatus.Builder st,
      MessageType type,
      NotificationTemplate n) {
    if (!notify(cx, id, st, type, n)) {
      cx.t.putStatus(id, st.build());
    }
  }

  /** Whether the journal already holds a notification the suspension waits for. */
  static boolean satisfiedByJournal(Apply cx, InvocationId id, Suspended s) {
    for (JournalEntry e : cx.t.journal(id)) {
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

  // ---------------------------------------------------------------- timers

  static void onTimer(Apply cx, byte[] key) {
    Timer timer = cx.t.timer(key);
    if (timer == null) {
      return;
    }
    cx.t.deleteTimer(key);
    if (timer.getKindCase() == Timer.KindCase.SCHEDULE_ID) {
      Schedules.onTimer(cx, timer.getScheduleId());
      return;
    }
    InvocationId id = InvocationId.fromBytes(timer.getInvocationId().toByteArray());
    InvocationStatus cur = cx.t.status(id);
    if (cur == null) {
      return;
    }
    Phase phase = Phase.of(cur);
    switch (timer.getKindCase()) {
      case SLEEP_COMPLETION_ID -> {
        if (phase != Phase.COMPLETED) {
          notifyAndStore(
              cx,
              id,
              cur.toBuilder(),
              MessageType.SLEEP_COMPLETION,
              NotificationTemplate.newBuilder()
                  .setCompletionId(timer.getSleepCompletionId())
                  .setVoid(VOID)
                  .build());
        }
      }
      case START_SCHEDULED -> {
        if (phase == Phase.SCHEDULED) {
          Lifecycle.enqueueOrStart(cx, id, cur.toBuilder());
        }
      }
      case RETRY_ATTEMPT -> {
        if (phase == Phase.BACKING_OFF && cur.getAttempt() == timer.getRetryAttempt()) {
          Lifecycle.startAttempt(cx, id, cur.toBuilder());
        }
      }
      case CLEANUP -> {
        if (phase == Phase.COMPLETED) {
          Lifecycle.purge(cx, id, cur.getTarget());
        }
      }
      default -> {}
    }
  }

  // ---------------------------------------------------------------- calls and signals

  static void onCompleteCall(Apply cx, CompleteCall c) {
    InvocationId id = InvocationId.fromBytes(c.getInvocationId().toByteArray());
    InvocationStatus cur = cx.t.status(id);
    if (cur == null || Phase.of(cur) == Phase.COMPLETED) {
      return;
    }
    MessageType type =
        c.getNotificationType() == 0
            ? MessageType.CALL_COMPLETION
            : MessageType.fromCode(c.getNotificationType());
    notifyAndStore(cx, id, cur.toBuilder(), type, completion(c.getCompletionId(), c.getOutcome()));
  }

  static void onSignal(Apply cx, Signal s) {
    InvocationId id = InvocationId.fromBytes(s.getInvocationId().toByteArray());
    InvocationStatus cur = cx.t.status(id);
    if (cur != null
        && s.getIdCase() == Signal.IdCase.IDX
        && s.getIdx() == BuiltInSignal.CANCEL_VALUE
        && Phase.of(cur).notStarted()) {
      // a cancel propagated by a caller to a callee that has not started: cancelled at once and
      // never run, as restate-server 1.7.12 does (and as the admin cancel does)
      Lifecycle.complete(cx, id, cur.toBuilder(), failure(409, "canceled"));
      Lifecycle.forget(cx, id);
    } else if (cur != null && Phase.of(cur) != Phase.COMPLETED) {
      NotificationTemplate.Builder n = NotificationTemplate.newBuilder();
      if (s.getIdCase() == Signal.IdCase.NAME) {
        n.setSignalName(s.getName());
      } else {
        n.setSignalId(s.getIdx());
      }
      switch (s.getResultCase()) {
        case VALUE -> n.setValue(Value.newBuilder().setContent(s.getValue()));
        case FAILURE -> n.setFailure(Outcomes.wire(s.getFailure()));
        default -> n.setVoid(VOID);
      }
      notifyAndStore(cx, id, cur.toBuilder(), MessageType.SIGNAL_NOTIFICATION, n.build());
    }
    if (s.getIngressRequest() != 0) {
      cx.reply(s.getIngressRequest(), Answer.Done.INSTANCE);
    }
  }

  // ---------------------------------------------------------------- promises

  /**
   * A workflow handler completes a durable promise: answers the handler, stores the outcome and
   * wakes every invocation waiting for it. Completing it twice answers 409 to the second.
   */
  static void onCompletePromise(
      Apply cx, InvocationId id, InvocationStatus.Builder st, CompletePromiseCommandMessage c) {
    Target target = st.getTarget();
    Promise pr = cx.t.promise(target.getService(), target.getKey(), c.getKey());
    if (pr != null && pr.getCompleted()) {
      notify(
          cx,
          id,
          st,
          MessageType.COMPLETE_PROMISE_COMPLETION,
          NotificationTemplate.newBuilder()
              .setCompletionId(c.getResultCompletionId())
              .setFailure(
                  Failure.newBuilder().setCode(409).setMessage("promise was already completed"))
              .build());
      return;
    }
    Outcome outcome =
        c.hasCompletionFailure()
            ? Outcomes.failure(c.getCompletionFailure())
            : Outcomes.success(c.getCompletionValue().getContent());
    cx.t.putPromise(
        target.getService(),
        target.getKey(),
        c.getKey(),
        Promise.newBuilder().setCompleted(true).setOutcome(outcome).build());
    notify(
        cx,
        id,
        st,
        MessageType.COMPLETE_PROMISE_COMPLETION,
        NotificationTemplate.newBuilder()
            .setCompletionId(c.getResultCompletionId())
            .setVoid(VOID)
            .build());
    cx.t.putStatus(id, st.build());
    if (pr != null) {
      for (Caller w : pr.getWaitersList()) {
        InvocationId wid = InvocationId.fromBytes(w.getInvocationId().toByteArray());
        if (wid.equals(id)) {
          notify(
              cx,
              id,
              st,
              MessageType.GET_PROMISE_COMPLETION,
              completion(w.getCompletionId(), outcome));
          continue;
        }
        InvocationStatus ws = cx.t.status(wid);
        if (ws != null && Phase.of(ws) != Phase.COMPLETED) {
          notifyAndStore(
              cx,
              wid,
              ws.toBuilder(),
              MessageType.GET_PROMISE_COMPLETION,
              completion(w.getCompletionId(), outcome));
        }
      }
    }
  }
}
