package dev.resolute.server.partition;

import static dev.resolute.server.partition.StateMachineTest.command;
import static dev.resolute.server.partition.StateMachineTest.event;
import static dev.resolute.server.partition.StateMachineTest.id;
import static dev.resolute.server.partition.StateMachineTest.invoke;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.AttachInvocationCommandMessage;
import dev.resolute.protocol.pb.CallCommandMessage;
import dev.resolute.protocol.pb.GetInvocationOutputCommandMessage;
import dev.resolute.protocol.pb.NotificationTemplate;
import dev.resolute.protocol.pb.OneWayCallCommandMessage;
import dev.resolute.protocol.pb.OutputCommandMessage;
import dev.resolute.protocol.pb.Value;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.api.Outcome;
import dev.resolute.server.api.SubmitResult;
import dev.resolute.server.pb.*;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Workflows, attach/output from handlers, cancel/kill and retry budgets in the state machine. */
class InvocationModelTest {
  final StateMachineTest sm = new StateMachineTest();

  static final Target WF_RUN =
      Target.newBuilder()
          .setService("Wf")
          .setHandler("run")
          .setKey("w1")
          .setKeyed(true)
          .setKind(Target.Kind.WORKFLOW_RUN)
          .build();
  static final Target COUNTER = StateMachineTest.COUNTER;
  static final Target SERVICE = StateMachineTest.SERVICE;

  Tables tables() {
    return new Tables(0).on(sm.store.reader());
  }

  /** A new invocation of {@code target}, running (or inboxed behind the key's lock holder). */
  InvocationId started(String key, int n, Target target) {
    InvocationId id = id(key, n);
    sm.apply(invoke(id, target, 0, false));
    return id;
  }

  /** The state machine's reply to ingress query {@code kind} on {@code id}. */
  Object ask(InvocationId id, IngressQuery.Kind kind, long request) {
    return replyTo(sm.apply(query(id, kind, request)), request);
  }

  static Object replyTo(List<Effect> effects, long request) {
    return effects.stream()
        .filter(Effect.Reply.class::isInstance)
        .map(Effect.Reply.class::cast)
        .filter(r -> r.requestId() == request)
        .findFirst()
        .orElseThrow()
        .result();
  }

  static Envelope.Builder query(InvocationId id, IngressQuery.Kind kind, long request) {
    return Envelope.newBuilder()
        .setIngressQuery(
            IngressQuery.newBuilder()
                .setInvocationId(ByteString.copyFrom(id.toBytes()))
                .setKind(kind)
                .setIngressRequest(request));
  }

  @Test
  void aSecondWorkflowRunCallIsRefusedWhileASendIsPreviouslyAccepted() {
    InvocationId id = id("w1", 1);
    sm.apply(invoke(id, WF_RUN, 1, false));
    Object call = replyTo(sm.apply(invoke(id, WF_RUN, 2, true)), 2);
    assertThat(((InvocationResult) call).outcome())
        .isEqualTo(new Outcome.Failure(409, "the workflow method was already invoked"));
    Object send = replyTo(sm.apply(invoke(id, WF_RUN, 3, false)), 3);
    assertThat(((dev.resolute.server.api.SubmitResult) send).previouslyAccepted()).isTrue();
  }

  @Test
  void attachAndOutputFromAHandlerAnswerWithTheirNotificationTypes() {
    InvocationId target = started("x", 10, SERVICE);
    InvocationId asker = started("x", 11, SERVICE);
    // GetInvocationOutput of an unfinished invocation: void, right away
    List<Effect> e =
        sm.apply(
            command(
                asker,
                1,
                GetInvocationOutputCommandMessage.newBuilder()
                    .setInvocationId(target.toString())
                    .setResultCompletionId(1)
                    .build()));
    Envelope q = shippedEnvelopes(e).get(0);
    List<Effect> answer = sm.apply(q.toBuilder());
    Envelope back = shippedEnvelopes(answer).get(0);
    assertThat(back.getCompleteCall().getNotificationType())
        .isEqualTo(MessageType.GET_INVOCATION_OUTPUT_COMPLETION.code());
    List<Effect> delivered = sm.apply(back.toBuilder());
    JournalEntry n = ((Effect.Forward) delivered.get(0)).entry();
    assertThat(n.getType()).isEqualTo(MessageType.GET_INVOCATION_OUTPUT_COMPLETION.code());
    assertThat(parse(n).hasVoid()).isTrue();

    // Attach waits for the completion
    e =
        sm.apply(
            command(
                asker,
                1,
                AttachInvocationCommandMessage.newBuilder()
                    .setInvocationId(target.toString())
                    .setResultCompletionId(2)
                    .build()));
    assertThat(shippedEnvelopes(sm.apply(shippedEnvelopes(e).get(0).toBuilder()))).isEmpty();
    sm.apply(
        command(
            target,
            1,
            OutputCommandMessage.newBuilder()
                .setValue(Value.newBuilder().setContent(ByteString.copyFromUtf8("\"v\"")))
                .build()));
    Envelope done =
        shippedEnvelopes(sm.apply(event(target, 1, InvokerEvent.newBuilder().setEnd(true)))).get(0);
    JournalEntry attached = ((Effect.Forward) sm.apply(done.toBuilder()).get(0)).entry();
    assertThat(attached.getType()).isEqualTo(MessageType.ATTACH_INVOCATION_COMPLETION.code());
    assertThat(parse(attached).getValue().getContent().toStringUtf8()).isEqualTo("\"v\"");
  }

  static int status(Object reply) {
    if (reply instanceof DispatchException de) {
      return de.status();
    }
    return (Integer) reply;
  }

  @Test
  void pauseAndResumeFollowRestateStatuses() {
    InvocationId running = started("x", 40, SERVICE);
    // pause a running attempt: 202, the attempt is aborted, its late events are fenced
    List<Effect> paused = sm.apply(query(running, IngressQuery.Kind.PAUSE, 1));
    assertThat(status(replyTo(paused, 1))).isEqualTo(202);
    assertThat(paused).anyMatch(e -> e instanceof Effect.AbortAttempt a && a.id().equals(running));
    assertThat(tables().status(running).getPhase()).isEqualTo(InvocationStatus.Phase.PAUSED);
    assertThat(sm.apply(event(running, 1, InvokerEvent.newBuilder().setEnd(true)))).isEmpty();
    assertThat(status(ask(running, IngressQuery.Kind.PAUSE, 2))).isEqualTo(200);
    // resume: a new attempt with a fresh retry budget
    List<Effect> resumed = sm.apply(query(running, IngressQuery.Kind.RESUME, 3));
    assertThat(status(replyTo(resumed, 3))).isEqualTo(200);
    assertThat(resumed)
        .anyMatch(e -> e instanceof Effect.StartAttempt st && st.id().equals(running));
    InvocationStatus st = tables().status(running);
    assertThat(st.getPhase()).isEqualTo(InvocationStatus.Phase.INVOKED);
    assertThat(st.getAttempt()).isEqualTo(2);
    assertThat(st.getRetryCount()).isZero();
    // resume of a running invocation: 200, nothing started
    List<Effect> again = sm.apply(query(running, IngressQuery.Kind.RESUME, 4));
    assertThat(status(replyTo(again, 4))).isEqualTo(200);
    assertThat(again).noneMatch(Effect.StartAttempt.class::isInstance);
    // completed: 409 for both; unknown: 404; inboxed: resume 425, pause 409
    sm.apply(event(running, 2, InvokerEvent.newBuilder().setEnd(true)));
    assertThat(status(ask(running, IngressQuery.Kind.RESUME, 5))).isEqualTo(409);
    assertThat(status(ask(running, IngressQuery.Kind.PAUSE, 6))).isEqualTo(409);
    assertThat(status(ask(id("x", 41), IngressQuery.Kind.RESUME, 7))).isEqualTo(404);
    InvocationId holder = started("k1", 42, COUNTER);
    InvocationId inboxed = started("k1", 43, COUNTER);
    assertThat(status(ask(inboxed, IngressQuery.Kind.RESUME, 8))).isEqualTo(425);
    assertThat(status(ask(inboxed, IngressQuery.Kind.PAUSE, 9))).isEqualTo(409);
  }

  @Test
  void pauseOfASuspendedInvocationAnswersAlreadyPausedAndLeavesItSuspended() {
    InvocationId id = started("x", 44, SERVICE);
    sm.apply(
        event(
            id, 1, InvokerEvent.newBuilder().setSuspended(Suspended.newBuilder().addSignals(17))));
    List<Effect> e = sm.apply(query(id, IngressQuery.Kind.PAUSE, 1));
    assertThat(status(replyTo(e, 1))).isEqualTo(200);
    assertThat(e).noneMatch(Effect.AbortAttempt.class::isInstance);
    assertThat(tables().status(id).getPhase()).isEqualTo(InvocationStatus.Phase.SUSPENDED);
  }

  @Test
  void aDuplicateSendNamesTheExecutionTimeOnlyWhileTheInvocationIsScheduled() {
    InvocationId id = id("x", 45);
    long at = sm.now + 60_000;
    sm.apply(
        invoke(id, SERVICE, 0, false)
            .setInvoke(
                invoke(id, SERVICE, 0, false).getInvoke().toBuilder().setExecutionTimeMillis(at)));
    SubmitResult scheduled = (SubmitResult) replyTo(sm.apply(invoke(id, SERVICE, 1, false)), 1);
    assertThat(scheduled.previouslyAccepted()).isTrue();
    assertThat(scheduled.executionTimeMillis()).isEqualTo(at);
    InvocationId running = started("x", 46, SERVICE);
    SubmitResult started =
        (SubmitResult)
            replyTo(
                sm.apply(
                    invoke(running, SERVICE, 2, false)
                        .setInvoke(
                            invoke(running, SERVICE, 2, false).getInvoke().toBuilder()
                                .setExecutionTimeMillis(at))),
                2);
    assertThat(started.previouslyAccepted()).isTrue();
    assertThat(started.executionTimeMillis()).isZero();
  }

  @Test
  void cancelOfAPausedInvocationRunsItWithAFreshRetryBudget() {
    InvocationId id = started("x", 47, SERVICE);
    sm.apply(
        event(
            id,
            1,
            InvokerEvent.newBuilder()
                .setFailed(
                    AttemptFailed.newBuilder()
                        .setCode(500)
                        .setPolicyRetry(true)
                        .setExhausted(true))));
    assertThat(tables().status(id).getPhase()).isEqualTo(InvocationStatus.Phase.PAUSED);
    assertThat(tables().status(id).getPolicyFailures()).isEqualTo(1);
    List<Effect> e = sm.apply(query(id, IngressQuery.Kind.CANCEL, 1));
    assertThat(replyTo(e, 1)).isEqualTo(Boolean.FALSE);
    assertThat(e).anyMatch(x -> x instanceof Effect.StartAttempt st && st.id().equals(id));
    assertThat(tables().status(id).getPolicyFailures()).isZero();
    assertThat(tables().status(id).getRetryCount()).isZero();
  }

  @Test
  void purgeJournalKeepsTheResultAndPurgeForgetsTheInvocation() {
    InvocationId id = started("x", 50, SERVICE);
    assertThat(status(ask(id, IngressQuery.Kind.PURGE, 1))).isEqualTo(409);
    sm.apply(
        command(
            id,
            1,
            OutputCommandMessage.newBuilder()
                .setValue(Value.newBuilder().setContent(ByteString.copyFromUtf8("\"v\"")))
                .build()));
    sm.apply(event(id, 1, InvokerEvent.newBuilder().setEnd(true)));
    assertThat(tables().journal(id)).isNotEmpty();
    assertThat(status(ask(id, IngressQuery.Kind.PURGE_JOURNAL, 2))).isEqualTo(200);
    assertThat(tables().journal(id)).isEmpty();
    @SuppressWarnings("unchecked")
    Optional<InvocationResult> out =
        (Optional<InvocationResult>) ask(id, IngressQuery.Kind.OUTPUT, 3);
    assertThat(out).isPresent();
    assertThat(status(ask(id, IngressQuery.Kind.PURGE, 4))).isEqualTo(200);
    assertThat(tables().status(id)).isNull();
    assertThat(status(ask(id, IngressQuery.Kind.PURGE, 5))).isEqualTo(404);
  }

  @Test
  void ingressQueriesOfUnknownInvocationsAnswerLikeRestate() {
    InvocationId unknown = id("x", 20);
    Object attach = ask(unknown, IngressQuery.Kind.ATTACH, 1);
    assertThat(((InvocationResult) attach).outcome())
        .isEqualTo(new Outcome.Failure(404, "not found"));
    Object output = ask(unknown, IngressQuery.Kind.OUTPUT, 2);
    assertThat(((DispatchException) output).status()).isEqualTo(404);
    assertThat(((DispatchException) output).getMessage()).isEqualTo("invocation not found");
  }

  @Test
  void completedOutputCarriesItsExpiry() {
    InvocationId id = started("x", 21, SERVICE);
    sm.apply(event(id, 1, InvokerEvent.newBuilder().setEnd(true)));
    @SuppressWarnings("unchecked")
    Optional<InvocationResult> out =
        (Optional<InvocationResult>) ask(id, IngressQuery.Kind.OUTPUT, 3);
    assertThat(out)
        .get()
        .extracting(InvocationResult::expiresAtMillis)
        .isEqualTo(sm.now + StateMachine.DEFAULT_RETENTION_MILLIS);
  }

  @Test
  void cancelOfAnInboxedInvocationCompletesItAtOnceAndForgetsIt() {
    InvocationId holder = started("k1", 30, COUNTER);
    InvocationId inboxed = started("k1", 31, COUNTER);
    assertThat(ask(inboxed, IngressQuery.Kind.CANCEL, 5)).isEqualTo(Boolean.TRUE);
    assertThat(tables().status(inboxed)).isNull();
    assertThat(ask(holder, IngressQuery.Kind.CANCEL, 6)).isEqualTo(Boolean.FALSE);
    Object again = ask(holder, IngressQuery.Kind.KILL, 7);
    assertThat(again).isNull();
    DispatchException twice = (DispatchException) ask(holder, IngressQuery.Kind.KILL, 8);
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.getMessage())
        .isEqualTo("The invocation '" + holder + "' was already completed.");
    assertThat(tables().lockHolder("Counter", "k1")).isNull();
  }

  @Test
  void cancelOrKillOfANeverStartedIdempotentInvocationForgetsIt() {
    InvocationId holder = started("k1", 32, COUNTER);
    InvocationId inboxed = id("k1", 33);
    sm.apply(
        invoke(inboxed, COUNTER, 0, false)
            .setInvoke(
                invoke(inboxed, COUNTER, 0, false).getInvoke().toBuilder()
                    .setIdempotencyKey("ik")));
    InvocationId waiting = id("k1", 34);
    sm.apply(
        invoke(waiting, COUNTER, 0, false)
            .setInvoke(
                invoke(waiting, COUNTER, 0, false).getInvoke().toBuilder()
                    .setIdempotencyKey("ik2")));
    sm.apply(query(waiting, IngressQuery.Kind.ATTACH, 4));
    assertThat(ask(inboxed, IngressQuery.Kind.CANCEL, 5)).isEqualTo(Boolean.TRUE);
    assertThat(tables().status(inboxed)).isNull();
    List<Effect> killed = sm.apply(query(waiting, IngressQuery.Kind.KILL, 6));
    assertThat(((InvocationResult) replyTo(killed, 4)).outcome())
        .isEqualTo(new Outcome.Failure(409, "killed"));
    assertThat(tables().status(waiting)).isNull();
    // the same idempotent send is accepted anew
    SubmitResult again = (SubmitResult) replyTo(sm.apply(invoke(inboxed, COUNTER, 7, false)), 7);
    assertThat(again.previouslyAccepted()).isFalse();
    assertThat(tables().lockHolder("Counter", "k1")).isEqualTo(holder);
  }

  @Test
  void aCancelSignalToAnInboxedCalleeCancelsItWithoutRunningIt() {
    InvocationId holder = started("k1", 35, COUNTER);
    InvocationId inboxed = started("k1", 36, COUNTER);
    sm.apply(query(inboxed, IngressQuery.Kind.ATTACH, 3));
    List<Effect> e =
        sm.apply(
            Envelope.newBuilder()
                .setSignal(
                    Signal.newBuilder()
                        .setInvocationId(ByteString.copyFrom(inboxed.toBytes()))
                        .setIdx(1)
                        .setVoid(true)));
    assertThat(((InvocationResult) replyTo(e, 3)).outcome())
        .isEqualTo(new Outcome.Failure(409, "canceled"));
    assertThat(tables().status(inboxed)).isNull();
    // the key's lock holder finishes: nothing left in the inbox runs
    List<Effect> done = sm.apply(event(holder, 1, InvokerEvent.newBuilder().setEnd(true)));
    assertThat(done).noneMatch(Effect.StartAttempt.class::isInstance);
    assertThat(tables().lockHolder("Counter", "k1")).isNull();
  }

  @Test
  void killReachesPendingCalleesAndOneWayChildrenButNotReturnedCalls() {
    InvocationId parent = started("x", 40, SERVICE);
    InvocationId called =
        calleeOf(
            sm.apply(
                withTarget(
                    command(
                        parent,
                        1,
                        CallCommandMessage.newBuilder()
                            .setServiceName("Greeter")
                            .setHandlerName("greet")
                            .setInvocationIdNotificationIdx(1)
                            .setResultCompletionId(2)
                            .build()))));
    InvocationId oneWay =
        calleeOf(
            sm.apply(
                withTarget(
                    command(
                        parent,
                        1,
                        OneWayCallCommandMessage.newBuilder()
                            .setServiceName("Greeter")
                            .setHandlerName("greet")
                            .setInvocationIdNotificationIdx(3)
                            .build()))));
    InvocationId returned =
        calleeOf(
            sm.apply(
                withTarget(
                    command(
                        parent,
                        1,
                        CallCommandMessage.newBuilder()
                            .setServiceName("Greeter")
                            .setHandlerName("greet")
                            .setInvocationIdNotificationIdx(4)
                            .setResultCompletionId(5)
                            .build()))));
    sm.apply(
        Envelope.newBuilder()
            .setCompleteCall(
                CompleteCall.newBuilder()
                    .setInvocationId(ByteString.copyFrom(parent.toBytes()))
                    .setCompletionId(5)
                    .setOutcome(
                        dev.resolute.server.pb.Outcome.newBuilder()
                            .setSuccess(ByteString.copyFromUtf8("1")))));
    List<Effect> e = sm.apply(query(parent, IngressQuery.Kind.KILL, 9));
    assertThat(shippedEnvelopes(e))
        .filteredOn(Envelope::hasKill)
        .extracting(x -> InvocationId.fromBytes(x.getKill().getInvocationId().toByteArray()))
        .containsExactlyInAnyOrder(called, oneWay)
        .doesNotContain(returned);
    assertThat(e).anyMatch(Effect.AbortAttempt.class::isInstance);
  }

  @Test
  void retryBudgetCountsPolicyRetriesOnlyAndResetsOnSuspension() {
    InvocationId id = started("x", 50, SERVICE);
    sm.apply(
        event(
            id,
            1,
            InvokerEvent.newBuilder()
                .setFailed(
                    AttemptFailed.newBuilder()
                        .setCode(500)
                        .setNextRetryDelayMillis(0)
                        .setPolicyRetry(true))));
    assertThat(tables().status(id).getPolicyFailures()).isEqualTo(1);
    fireTimers();
    // a run retry whose delay the deployment chose does not use up the policy
    sm.apply(
        event(
            id,
            2,
            InvokerEvent.newBuilder()
                .setFailed(
                    AttemptFailed.newBuilder()
                        .setCode(500)
                        .setNextRetryDelayMillis(0)
                        .setPolicyRetry(false))));
    assertThat(tables().status(id).getPolicyFailures()).isEqualTo(1);
    fireTimers();
    sm.apply(
        event(
            id, 3, InvokerEvent.newBuilder().setSuspended(Suspended.newBuilder().addSignals(17))));
    assertThat(tables().status(id).getPolicyFailures()).isZero();
  }

  private void fireTimers() {
    for (Object[] timer : tables().allTimers()) {
      sm.apply(
          Envelope.newBuilder()
              .setTimerFired(
                  TimerFired.newBuilder().setTimerKey(ByteString.copyFrom((byte[]) timer[0]))));
    }
  }

  // helpers ------------------------------------------------------------------------------------

  static List<Envelope> shippedEnvelopes(List<Effect> effects) {
    return effects.stream()
        .filter(Effect.Ship.class::isInstance)
        .map(x -> ((Effect.Ship) x).envelope())
        .toList();
  }

  static NotificationTemplate parse(JournalEntry e) {
    try {
      return NotificationTemplate.parseFrom(e.getPayload());
    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
      throw new IllegalStateException(ex);
    }
  }

  static Envelope.Builder withTarget(Envelope.Builder env) {
    env.getInvokerEventBuilder().setCallTarget(SERVICE);
    return env;
  }

  static InvocationId calleeOf(List<Effect> effects) {
    Envelope invoke =
        shippedEnvelopes(effects).stream().filter(Envelope::hasInvoke).findFirst().orElseThrow();
    return InvocationId.fromBytes(invoke.getInvoke().getInvocationId().toByteArray());
  }
}
