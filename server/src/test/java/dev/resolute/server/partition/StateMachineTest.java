package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.protocol.pb.OneWayCallCommandMessage;
import dev.resolute.protocol.pb.OutputCommandMessage;
import dev.resolute.protocol.pb.RunCommandMessage;
import dev.resolute.protocol.pb.SleepCommandMessage;
import dev.resolute.protocol.pb.Value;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.api.Outcome;
import dev.resolute.server.api.SubmitResult;
import dev.resolute.server.pb.*;
import dev.resolute.server.storage.MemoryStore;
import dev.resolute.server.storage.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deterministic state machine driven record by record, in memory. */
class StateMachineTest {
  final Partitioning partitioning = new Partitioning(1);
  final StateMachine sm = new StateMachine(0, partitioning);
  final Store store = new MemoryStore();
  long lsn;
  long now = 1_000_000;

  List<Effect> apply(Envelope.Builder env) {
    List<Effect> effects = new ArrayList<>();
    try (Store.Batch b = store.begin()) {
      sm.apply(b, ++lsn, env.setTimestampMillis(now).build(), effects);
      b.commit();
    }
    return effects;
  }

  static InvocationId id(String key, int n) {
    byte[] uuid = new byte[16];
    uuid[15] = (byte) n;
    return new InvocationId(PartitionKeys.keyed(key), uuid);
  }

  static Envelope.Builder invoke(
      InvocationId id, Target target, long request, boolean wantsResult) {
    return Envelope.newBuilder()
        .setInvoke(
            Invoke.newBuilder()
                .setInvocationId(ByteString.copyFrom(id.toBytes()))
                .setTarget(target)
                .setInput(ByteString.copyFromUtf8("\"in\""))
                .setIngressRequest(request)
                .setIngressWantsResult(wantsResult));
  }

  static Envelope.Builder command(InvocationId id, int attempt, MessageLite m) {
    return Envelope.newBuilder()
        .setInvokerEvent(
            InvokerEvent.newBuilder()
                .setInvocationId(ByteString.copyFrom(id.toBytes()))
                .setAttempt(attempt)
                .setDeploymentId("dp_x")
                .setProtocolVersion(6)
                .setCommand(StateMachine.entry(MessageType.of(m), m)));
  }

  static Envelope.Builder event(InvocationId id, int attempt, InvokerEvent.Builder ev) {
    return Envelope.newBuilder()
        .setInvokerEvent(ev.setInvocationId(ByteString.copyFrom(id.toBytes())).setAttempt(attempt));
  }

  static final Target SERVICE =
      Target.newBuilder().setService("Greeter").setHandler("greet").build();
  static final Target COUNTER =
      Target.newBuilder()
          .setService("Counter")
          .setHandler("add")
          .setKey("k1")
          .setKeyed(true)
          .setKind(Target.Kind.EXCLUSIVE)
          .build();

  @Test
  void callRunsToCompletionAndRepliesAfterEnd() {
    InvocationId id = id("x", 1);
    List<Effect> e = apply(invoke(id, SERVICE, 7, true));
    assertThat(e).singleElement().isInstanceOf(Effect.StartAttempt.class);
    Effect.StartAttempt start = (Effect.StartAttempt) e.get(0);
    assertThat(start.journal()).hasSize(1);
    assertThat(start.journal().get(0).getType()).isEqualTo(MessageType.INPUT_COMMAND.code());

    assertThat(
            apply(command(id, 1, RunCommandMessage.newBuilder().setResultCompletionId(1).build())))
        .isEmpty();
    e =
        apply(
            event(
                id,
                1,
                InvokerEvent.newBuilder()
                    .setProposeRun(
                        ProposeRun.newBuilder()
                            .setCompletionId(1)
                            .setOutcome(
                                dev.resolute.server.pb.Outcome.newBuilder()
                                    .setSuccess(ByteString.copyFromUtf8("r"))))));
    assertThat(e).singleElement().isInstanceOf(Effect.Forward.class);
    assertThat(((Effect.Forward) e.get(0)).entry().getType())
        .isEqualTo(MessageType.RUN_COMPLETION.code());

    apply(
        command(
            id,
            1,
            OutputCommandMessage.newBuilder()
                .setValue(Value.newBuilder().setContent(ByteString.copyFromUtf8("\"done\"")))
                .build()));
    e = apply(event(id, 1, InvokerEvent.newBuilder().setEnd(true)));
    Effect.Reply reply =
        e.stream()
            .filter(Effect.Reply.class::isInstance)
            .map(Effect.Reply.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(reply.requestId()).isEqualTo(7);
    InvocationResult r = (InvocationResult) reply.result();
    assertThat(new String(((Outcome.Success) r.outcome()).value(), StandardCharsets.UTF_8))
        .isEqualTo("\"done\"");
  }

  @Test
  void lateEventsOfAnEarlierAttemptAreFenced() {
    InvocationId id = id("x", 2);
    apply(invoke(id, SERVICE, 0, false));
    apply(
        event(
            id,
            1,
            InvokerEvent.newBuilder()
                .setFailed(AttemptFailed.newBuilder().setCode(500).setNextRetryDelayMillis(0))));
    // the retry timer fires -> attempt 2
    List<Effect> timers = apply(Envelope.newBuilder());
    assertThat(timers).isEmpty();
    Tables t = new Tables(0).on(store.reader());
    byte[] timerKey = (byte[]) t.allTimers().get(0)[0];
    List<Effect> e =
        apply(
            Envelope.newBuilder()
                .setTimerFired(TimerFired.newBuilder().setTimerKey(ByteString.copyFrom(timerKey))));
    Effect.StartAttempt start = (Effect.StartAttempt) e.get(0);
    assertThat(start.status().getAttempt()).isEqualTo(2);
    assertThat(start.status().getRetryCount()).isEqualTo(1);
    // an End from attempt 1 arrives late: ignored
    assertThat(apply(event(id, 1, InvokerEvent.newBuilder().setEnd(true)))).isEmpty();
    assertThat(new Tables(0).on(store.reader()).status(id).getPhase())
        .isEqualTo(InvocationStatus.Phase.INVOKED);
  }

  @Test
  void exclusiveHandlersQueuePerKeyInArrivalOrder() {
    InvocationId a = id("k1", 1);
    InvocationId b = id("k1", 2);
    InvocationId c = id("k1", 3);
    assertThat(apply(invoke(a, COUNTER, 1, false))).anyMatch(Effect.StartAttempt.class::isInstance);
    List<Effect> eb = apply(invoke(b, COUNTER, 2, false));
    assertThat(eb).noneMatch(Effect.StartAttempt.class::isInstance);
    assertThat(((SubmitResult) ((Effect.Reply) eb.get(0)).result()).previouslyAccepted()).isFalse();
    apply(invoke(c, COUNTER, 3, false));
    List<Effect> done = apply(event(a, 1, InvokerEvent.newBuilder().setEnd(true)));
    Effect.StartAttempt next =
        done.stream()
            .filter(Effect.StartAttempt.class::isInstance)
            .map(Effect.StartAttempt.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(next.id()).isEqualTo(b);
    done = apply(event(b, 1, InvokerEvent.newBuilder().setEnd(true)));
    assertThat(done)
        .filteredOn(Effect.StartAttempt.class::isInstance)
        .singleElement()
        .extracting(x -> ((Effect.StartAttempt) x).id())
        .isEqualTo(c);
  }

  static Envelope.Builder mutation(String key, String name, String value) {
    return Envelope.newBuilder()
        .setStateMutation(
            StateMutation.newBuilder()
                .setService("Counter")
                .setKey(key)
                .addEntries(
                    StateEntry.newBuilder()
                        .setName(ByteString.copyFromUtf8(name))
                        .setValue(ByteString.copyFromUtf8(value))));
  }

  /** The key's state as name=value strings, read in a batch of its own. */
  List<String> state(String key) {
    List<String> out = new ArrayList<>();
    try (Store.Batch b = store.begin()) {
      for (byte[][] e : new Tables(0).on(b).allState("Counter", key)) {
        out.add(
            new String(e[0], StandardCharsets.UTF_8)
                + "="
                + new String(e[1], StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Test
  void aStateMutationOfAFreeKeyIsAppliedAtOnce() {
    apply(mutation("k9", "n", "1"));
    assertThat(state("k9")).containsExactly("n=1");
  }

  @Test
  void aStateMutationWaitsForTheKeysLockBehindTheInvocationsAlreadyQueued() {
    InvocationId a = id("k1", 11);
    InvocationId b = id("k1", 12);
    InvocationId c = id("k1", 13);
    apply(invoke(a, COUNTER, 0, false));
    apply(invoke(b, COUNTER, 0, false));
    assertThat(apply(mutation("k1", "n", "admin")))
        .noneMatch(Effect.StartAttempt.class::isInstance);
    apply(invoke(c, COUNTER, 0, false));
    assertThat(state("k1")).isEmpty(); // a holds the lock: the mutation waits

    List<Effect> done = apply(event(a, 1, InvokerEvent.newBuilder().setEnd(true)));
    assertThat(done)
        .filteredOn(Effect.StartAttempt.class::isInstance)
        .singleElement()
        .extracting(x -> ((Effect.StartAttempt) x).id())
        .isEqualTo(b);
    assertThat(state("k1")).isEmpty(); // b was queued before it: still waiting

    done = apply(event(b, 1, InvokerEvent.newBuilder().setEnd(true)));
    assertThat(state("k1")).containsExactly("n=admin");
    assertThat(done)
        .filteredOn(Effect.StartAttempt.class::isInstance)
        .singleElement()
        .extracting(x -> ((Effect.StartAttempt) x).id())
        .isEqualTo(c);
  }

  @Test
  void duplicateInvokeIsPreviouslyAcceptedAndCallAttaches() {
    InvocationId id = id("x", 4);
    apply(invoke(id, SERVICE, 1, false));
    List<Effect> dup = apply(invoke(id, SERVICE, 2, false));
    assertThat(((SubmitResult) ((Effect.Reply) dup.get(0)).result()).previouslyAccepted()).isTrue();
    assertThat(apply(invoke(id, SERVICE, 3, true))).isEmpty();
    List<Effect> e = apply(event(id, 1, InvokerEvent.newBuilder().setEnd(true)));
    assertThat(e)
        .filteredOn(Effect.Reply.class::isInstance)
        .extracting(x -> ((Effect.Reply) x).requestId())
        .containsExactly(3L);
  }

  @Test
  void suspendedInvocationResumesWhenTheSleepTimerFires() {
    InvocationId id = id("x", 5);
    apply(invoke(id, SERVICE, 0, false));
    List<Effect> e =
        apply(
            command(
                id,
                1,
                SleepCommandMessage.newBuilder()
                    .setWakeUpTime(now + 100)
                    .setResultCompletionId(1)
                    .build()));
    Effect.RegisterTimer timer = (Effect.RegisterTimer) e.get(0);
    assertThat(timer.time()).isEqualTo(now + 100);
    apply(
        event(
            id,
            1,
            InvokerEvent.newBuilder()
                .setSuspended(Suspended.newBuilder().addCompletions(1).addSignals(1))));
    assertThat(new Tables(0).on(store.reader()).status(id).getPhase())
        .isEqualTo(InvocationStatus.Phase.SUSPENDED);
    now += 100;
    e =
        apply(
            Envelope.newBuilder()
                .setTimerFired(
                    TimerFired.newBuilder().setTimerKey(ByteString.copyFrom(timer.key()))));
    Effect.StartAttempt start = (Effect.StartAttempt) e.get(0);
    assertThat(start.status().getAttempt()).isEqualTo(2);
    assertThat(start.journal())
        .extracting(JournalEntry::getType)
        .containsExactly(
            MessageType.INPUT_COMMAND.code(),
            MessageType.SLEEP_COMMAND.code(),
            MessageType.SLEEP_COMPLETION.code());
  }

  @Test
  void aNotificationThatResumesASuspensionStoresTheStartedAttemptOnce() {
    InvocationId id = id("x", 7);
    apply(invoke(id, SERVICE, 0, false));
    List<Effect> e =
        apply(
            command(
                id,
                1,
                SleepCommandMessage.newBuilder()
                    .setWakeUpTime(now + 100)
                    .setResultCompletionId(1)
                    .build()));
    Effect.RegisterTimer timer = (Effect.RegisterTimer) e.get(0);
    apply(
        event(
            id,
            1,
            InvokerEvent.newBuilder().setSuspended(Suspended.newBuilder().addCompletions(1))));
    now += 100;
    e =
        apply(
            Envelope.newBuilder()
                .setTimerFired(
                    TimerFired.newBuilder().setTimerKey(ByteString.copyFrom(timer.key()))));
    assertThat(e).filteredOn(Effect.StartAttempt.class::isInstance).hasSize(1);
    Effect.StartAttempt start = (Effect.StartAttempt) e.get(0);
    Tables t = new Tables(0).on(store.reader());
    assertThat(t.status(id)).isEqualTo(start.status());
    assertThat(t.status(id).getJournalLength()).isEqualTo(3);
    assertThat(t.running()).contains(id);
  }

  @Test
  void reshippedOutboxMessagesAreDeduplicated() {
    InvocationId id = id("x", 6);
    Envelope.Builder env = invoke(id, SERVICE, 0, false).setSourcePartition(3).setSourceSeq(5);
    assertThat(apply(env.clone())).anyMatch(Effect.StartAttempt.class::isInstance);
    assertThat(apply(env.clone())).isEmpty();
  }

  @Test
  void redeliveredRecordsOfAnExternalProducerAreDroppedPerProducer() {
    // offsets 3 and 7 of one Kafka partition, then a consumer restart delivers both again
    Envelope.Builder third =
        invoke(id("x", 20), SERVICE, 0, false).setProducer("p").setSourceSeq(4);
    Envelope.Builder seventh =
        invoke(id("y", 21), SERVICE, 0, false).setProducer("p").setSourceSeq(8);
    assertThat(apply(third.clone())).anyMatch(Effect.StartAttempt.class::isInstance);
    assertThat(apply(seventh.clone())).anyMatch(Effect.StartAttempt.class::isInstance);
    assertThat(apply(third.clone())).isEmpty();
    assertThat(apply(seventh.clone())).isEmpty();
    // another producer with the same sequence numbers, and an outbox source with the same seq,
    // are independent of "p"
    assertThat(apply(invoke(id("z", 22), SERVICE, 0, false).setProducer("q").setSourceSeq(4)))
        .anyMatch(Effect.StartAttempt.class::isInstance);
    assertThat(apply(invoke(id("w", 23), SERVICE, 0, false).setSourcePartition(1).setSourceSeq(4)))
        .anyMatch(Effect.StartAttempt.class::isInstance);
  }

  static Envelope.Builder resumeAll() {
    return Envelope.newBuilder().setResumeAll(ResumeAll.getDefaultInstance());
  }

  static List<InvocationId> started(List<Effect> effects) {
    return effects.stream()
        .filter(Effect.StartAttempt.class::isInstance)
        .map(x -> ((Effect.StartAttempt) x).id())
        .toList();
  }

  @Test
  void resumeAllRestartsExactlyTheRunningInvocationsThroughTheRunningIndex() {
    InvocationId done = id("x", 10);
    InvocationId running = id("x", 11);
    InvocationId suspended = id("x", 12);
    InvocationId holder = id("k1", 13);
    InvocationId inboxed = id("k1", 14);
    apply(invoke(done, SERVICE, 0, false));
    apply(event(done, 1, InvokerEvent.newBuilder().setEnd(true)));
    apply(invoke(running, SERVICE, 0, false));
    apply(invoke(suspended, SERVICE, 0, false));
    apply(
        command(
            suspended,
            1,
            SleepCommandMessage.newBuilder()
                .setWakeUpTime(now + 100_000)
                .setResultCompletionId(1)
                .build()));
    apply(
        event(
            suspended,
            1,
            InvokerEvent.newBuilder().setSuspended(Suspended.newBuilder().addCompletions(1))));
    apply(invoke(holder, COUNTER, 0, false));
    apply(invoke(inboxed, COUNTER, 0, false));

    assertThat(new Tables(0).on(store.reader()).running())
        .containsExactlyInAnyOrder(running, holder);
    List<Effect> e = apply(resumeAll());
    assertThat(started(e)).containsExactlyInAnyOrder(running, holder);
    assertThat(e)
        .filteredOn(Effect.StartAttempt.class::isInstance)
        .allMatch(x -> ((Effect.StartAttempt) x).status().getAttempt() == 2);

    // the holder ends: it leaves the index, the inboxed call starts and enters it
    apply(event(holder, 2, InvokerEvent.newBuilder().setEnd(true)));
    assertThat(new Tables(0).on(store.reader()).running())
        .containsExactlyInAnyOrder(running, inboxed);
    assertThat(started(apply(resumeAll()))).containsExactlyInAnyOrder(running, inboxed);
  }

  @Test
  void resumeAllBuildsTheRunningIndexOfAStoreWrittenBeforeItExisted() {
    InvocationId done = id("x", 20);
    InvocationId running = id("x", 21);
    apply(invoke(done, SERVICE, 0, false));
    apply(event(done, 1, InvokerEvent.newBuilder().setEnd(true)));
    apply(invoke(running, SERVICE, 0, false));
    // as a store of an earlier version: no index entries, no marker
    try (Store.Batch b = store.begin()) {
      b.delete(
          dev.resolute.server.storage.Keys.of(0, dev.resolute.server.storage.Keys.RUNNING)
              .bytes(running.toBytes())
              .build());
      b.commit();
    }
    assertThat(new Tables(0).on(store.reader()).running()).isEmpty();
    assertThat(new Tables(0).on(store.reader()).meta(StateMachine.RUNNING_INDEX)).isZero();

    assertThat(started(apply(resumeAll()))).containsExactly(running);
    assertThat(new Tables(0).on(store.reader()).running()).containsExactly(running);
    assertThat(new Tables(0).on(store.reader()).meta(StateMachine.RUNNING_INDEX)).isEqualTo(1);
    assertThat(started(apply(resumeAll()))).containsExactly(running);
  }

  /**
   * A command sent by an attempt that started on an older journal (its index is one the journal
   * already holds) is not journaled again: no second child of one send; a new attempt starts on the
   * stored journal and fences the old one. The next index, and records without an index, are
   * journaled.
   */
  @Test
  void aCommandAtAnIndexTheJournalAlreadyHoldsIsNotJournaledAgain() {
    InvocationId id = id("x", 9);
    apply(invoke(id, SERVICE, 0, false));
    Target callee =
        Target.newBuilder()
            .setService("Tally")
            .setHandler("add")
            .setKey("send-0")
            .setKeyed(true)
            .setKind(Target.Kind.EXCLUSIVE)
            .build();
    Envelope.Builder send =
        command(
            id,
            1,
            OneWayCallCommandMessage.newBuilder()
                .setServiceName("Tally")
                .setHandlerName("add")
                .setKey("send-0")
                .setParameter(ByteString.copyFromUtf8("1"))
                .setInvocationIdNotificationIdx(1)
                .build());
    send.getInvokerEventBuilder().setCallTarget(callee);

    List<Effect> first = apply(send.clone().setCommandIndex(1));
    assertThat(first).filteredOn(Effect.Ship.class::isInstance).hasSize(1);
    InvocationStatus st = new Tables(0).on(store.reader()).status(id);
    assertThat(st.getCommands()).isEqualTo(2);
    int journal = st.getJournalLength();

    // the same command again, as an attempt 1 started on the journal before it would send it
    List<Effect> again = apply(send.clone().setCommandIndex(1));
    assertThat(again).noneMatch(Effect.Ship.class::isInstance);
    assertThat(again)
        .filteredOn(Effect.StartAttempt.class::isInstance)
        .singleElement()
        .satisfies(
            e -> {
              Effect.StartAttempt a = (Effect.StartAttempt) e;
              assertThat(a.status().getAttempt()).isEqualTo(2);
              assertThat(a.journal()).hasSize(journal);
            });
    st = new Tables(0).on(store.reader()).status(id);
    assertThat(st.getCommands()).isEqualTo(2);
    assertThat(st.getJournalLength()).isEqualTo(journal);
    // the old attempt's later events are fenced by the new attempt number
    assertThat(apply(send.clone().setCommandIndex(2))).isEmpty();

    // attempt 2's next command (index 2) is journaled, as is one without an index
    Envelope.Builder next = send.clone().setCommandIndex(2);
    next.getInvokerEventBuilder().setAttempt(2);
    assertThat(apply(next)).filteredOn(Effect.Ship.class::isInstance).hasSize(1);
    Envelope.Builder unnumbered = send.clone();
    unnumbered.getInvokerEventBuilder().setAttempt(2);
    assertThat(apply(unnumbered)).filteredOn(Effect.Ship.class::isInstance).hasSize(1);
    assertThat(new Tables(0).on(store.reader()).status(id).getCommands()).isEqualTo(4);
  }
}
