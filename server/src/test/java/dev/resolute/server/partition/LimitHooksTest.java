package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.server.limits.LimitTables;
import dev.resolute.server.limits.Limits;
import dev.resolute.server.limits.RuleBook;
import dev.resolute.server.limits.RulePattern;
import dev.resolute.server.limits.RuleRecords;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.Invoke;
import dev.resolute.server.pb.InvokerEvent;
import dev.resolute.server.pb.Kill;
import dev.resolute.server.pb.RuleBatch;
import dev.resolute.server.pb.Target;
import dev.resolute.server.pb.TimerFired;
import dev.resolute.server.storage.Keys;
import dev.resolute.server.storage.MemoryStore;
import dev.resolute.server.storage.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Scoped invocations under rules, driven record by record through the state machine. */
class LimitHooksTest {
  static final Target SERVICE =
      Target.newBuilder().setService("Greeter").setHandler("greet").build();

  final StateMachine sm = new StateMachine(0, new Partitioning(1));
  final Store store = new MemoryStore();
  final List<Envelope> applied = new ArrayList<>();
  long lsn;
  long now = 1_000_000;

  List<Effect> apply(Envelope.Builder env) {
    Envelope e = env.setTimestampMillis(now).build();
    applied.add(e);
    return applyTo(sm, store, ++lsn, e);
  }

  static List<Effect> applyTo(StateMachine sm, Store store, long lsn, Envelope e) {
    List<Effect> effects = new ArrayList<>();
    try (Store.Batch b = store.begin()) {
      sm.apply(b, lsn, e, effects);
      b.commit();
    }
    return effects;
  }

  static InvocationId id(int n) {
    byte[] uuid = new byte[16];
    uuid[15] = (byte) n;
    return new InvocationId(PartitionKeys.keyed("s"), uuid);
  }

  static Envelope.Builder invoke(InvocationId id, String scope, String limitKey) {
    return Envelope.newBuilder()
        .setInvoke(
            Invoke.newBuilder()
                .setInvocationId(ByteString.copyFrom(id.toBytes()))
                .setTarget(SERVICE)
                .setInput(ByteString.copyFromUtf8("\"in\""))
                .setScope(scope)
                .setLimitKey(limitKey));
  }

  static Envelope.Builder end(InvocationId id) {
    return Envelope.newBuilder()
        .setInvokerEvent(
            InvokerEvent.newBuilder()
                .setInvocationId(ByteString.copyFrom(id.toBytes()))
                .setAttempt(1)
                .setEnd(true));
  }

  static Envelope.Builder rule(String pattern, Limits limits) {
    return Envelope.newBuilder()
        .setRuleBatch(
            RuleRecords.upserts(
                List.of(
                    new RuleBook.Upsert(
                        RulePattern.parse(pattern),
                        limits,
                        null,
                        false,
                        new RuleBook.Precondition.None())),
                1));
  }

  static List<InvocationId> started(List<Effect> effects) {
    List<InvocationId> out = new ArrayList<>();
    for (Effect e : effects) {
      if (e instanceof Effect.StartAttempt s) {
        out.add(s.id());
      }
    }
    return out;
  }

  InvocationStatus status(InvocationId id) throws Exception {
    try (Store.Reader r = store.reader()) {
      byte[] v = r.get(Keys.of(0, Keys.STATUS).bytes(id.toBytes()).build());
      return v == null ? null : InvocationStatus.parseFrom(v);
    }
  }

  int waiting() {
    try (Store.Reader r = store.reader()) {
      int[] n = {0};
      new LimitTables(0, r)
          .scanQueue(
              q -> {
                n[0]++;
                return true;
              });
      return n[0];
    }
  }

  @Test
  void overTheConcurrencyLimitAnInvocationWaitsAndACompletionStartsIt() throws Exception {
    apply(rule("s", new Limits(1, null, null)));
    assertThat(started(apply(invoke(id(1), "s", "")))).containsExactly(id(1));
    assertThat(apply(invoke(id(2), "s", ""))).isEmpty();
    assertThat(apply(invoke(id(3), "s", ""))).isEmpty();
    assertThat(status(id(2)).getPhase()).isEqualTo(InvocationStatus.Phase.SCHEDULED);
    assertThat(status(id(2)).getLimit().getQueueSeq()).isPositive();
    assertThat(waiting()).isEqualTo(2);
    // an unscoped invocation is not limited
    assertThat(started(apply(invoke(id(9), "", "")))).containsExactly(id(9));

    assertThat(started(apply(end(id(1))))).containsExactly(id(2));
    assertThat(status(id(2)).getLimit().getHolding()).isTrue();
    // killed while waiting: it leaves the queue and takes no slot
    apply(
        Envelope.newBuilder()
            .setKill(Kill.newBuilder().setInvocationId(ByteString.copyFrom(id(3).toBytes()))));
    assertThat(waiting()).isZero();
    assertThat(started(apply(end(id(2))))).isEmpty();
    assertThat(started(apply(invoke(id(4), "s", "")))).containsExactly(id(4));
  }

  @Test
  void overTheRateAnInvocationWaitsForItsWakeUpTimer() throws Exception {
    apply(rule("s", new Limits(null, 2.0, 1)));
    assertThat(started(apply(invoke(id(1), "s", "k")))).containsExactly(id(1));
    List<Effect> e = apply(invoke(id(2), "s", "k"));
    assertThat(started(e)).isEmpty();
    Effect.RegisterTimer timer =
        e.stream()
            .filter(Effect.RegisterTimer.class::isInstance)
            .map(Effect.RegisterTimer.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(timer.time()).isEqualTo(now + 500);
    now += 500;
    assertThat(
            started(
                apply(
                    Envelope.newBuilder()
                        .setTimerFired(
                            TimerFired.newBuilder()
                                .setTimerKey(ByteString.copyFrom(timer.key()))))))
        .containsExactly(id(2));
  }

  @Test
  void aLoosenedRuleStartsTheWaitingAtOnce() throws Exception {
    apply(rule("s/*", new Limits(1, null, null)));
    apply(invoke(id(1), "s", "a"));
    apply(invoke(id(2), "s", "a"));
    apply(invoke(id(3), "s", "b"));
    assertThat(waiting()).isEqualTo(1);
    assertThat(started(apply(rule("s/*", new Limits(5, null, null))))).containsExactly(id(2));
  }

  @Test
  void aRejectedBatchAnswers409AndLeavesTheBook() throws Exception {
    apply(rule("s", new Limits(1, null, null)));
    RuleBatch conflict =
        RuleRecords.upserts(
                List.of(
                    new RuleBook.Upsert(
                        RulePattern.parse("s"),
                        new Limits(2, null, null),
                        null,
                        false,
                        new RuleBook.Precondition.DoesNotExist())),
                2)
            .toBuilder()
            .setIngressRequest(42)
            .build();
    List<Effect> e = apply(Envelope.newBuilder().setRuleBatch(conflict));
    assertThat(e).singleElement().isInstanceOf(Effect.Reply.class);
    Answer a = ((Effect.Reply) e.get(0)).answer();
    assertThat(a).isInstanceOf(Answer.Refused.class);
    assertThat(((Answer.Refused) a).error().status()).isEqualTo(409);
    try (Store.Reader r = store.reader()) {
      assertThat(new LimitTables(0, r).book().get("s").orElseThrow().limits().concurrency())
          .isEqualTo(1);
    }
  }

  @Test
  void replayingTheRecordsRebuildsTheSameStore() throws Exception {
    apply(rule("s/*", new Limits(1, 4.0, 2)));
    for (int i = 1; i <= 6; i++) {
      apply(invoke(id(i), "s", i % 2 == 0 ? "a" : "b"));
      now += 7;
    }
    apply(end(id(1)));
    now += 300;
    apply(end(id(2)));
    // a second replica (or a restart) applies the same records from scratch
    Store other = new MemoryStore();
    StateMachine replica = new StateMachine(0, new Partitioning(1));
    long l = 0;
    for (Envelope e : applied) {
      applyTo(replica, other, ++l, e);
    }
    assertThat(dump(other)).isEqualTo(dump(store));
  }

  static Map<String, String> dump(Store s) {
    Map<String, String> out = new TreeMap<>();
    try (Store.Reader r = s.reader()) {
      r.scan(
          new byte[] {0, 0},
          (k, v) -> {
            out.put(java.util.HexFormat.of().formatHex(k), java.util.HexFormat.of().formatHex(v));
            return true;
          });
    }
    return out;
  }

  static Envelope.Builder command(InvocationId id, com.google.protobuf.MessageLite m) {
    Target callee = Target.newBuilder().setService("Worker").setHandler("work").build();
    return Envelope.newBuilder()
        .setInvokerEvent(
            InvokerEvent.newBuilder()
                .setInvocationId(ByteString.copyFrom(id.toBytes()))
                .setAttempt(1)
                .setDeploymentId("dp_x")
                .setProtocolVersion(6)
                .setCallTarget(callee)
                .setCommand(StateMachine.entry(dev.resolute.protocol.MessageType.of(m), m)));
  }

  static List<Invoke> shipped(List<Effect> effects) {
    List<Invoke> out = new ArrayList<>();
    for (Effect e : effects) {
      if (e instanceof Effect.Ship s && s.envelope().hasInvoke()) {
        out.add(s.envelope().getInvoke());
      }
    }
    return out;
  }

  /**
   * Calls and sends of a scoped invocation inherit its scope and limit key, and a plain-service
   * callee lives in the scope's partition; an unscoped caller's callees stay unscoped.
   */
  @Test
  void handlerCallsAndSendsInheritTheCallersScope() throws Exception {
    apply(invoke(id(1), "tenant1", "a/b"));
    apply(invoke(id(2), "", ""));
    var send =
        dev.resolute.protocol.pb.OneWayCallCommandMessage.newBuilder()
            .setServiceName("Worker")
            .setHandlerName("work")
            .setParameter(ByteString.copyFromUtf8("1"))
            .setInvocationIdNotificationIdx(1)
            .build();
    var call =
        dev.resolute.protocol.pb.CallCommandMessage.newBuilder()
            .setServiceName("Worker")
            .setHandlerName("work")
            .setParameter(ByteString.copyFromUtf8("1"))
            .setInvocationIdNotificationIdx(1)
            .setResultCompletionId(2)
            .build();
    for (var m : List.of(send, call)) {
      Invoke scoped = shipped(apply(command(id(1), m))).get(0);
      assertThat(scoped.getScope()).isEqualTo("tenant1");
      assertThat(scoped.getLimitKey()).isEqualTo("a/b");
      assertThat(InvocationId.fromBytes(scoped.getInvocationId().toByteArray()).partitionKey())
          .isEqualTo(PartitionKeys.keyed("tenant1"));
      Invoke unscoped = shipped(apply(command(id(2), m))).get(0);
      assertThat(unscoped.getScope()).isEmpty();
      assertThat(unscoped.getLimitKey()).isEmpty();
      assertThat(InvocationId.fromBytes(unscoped.getInvocationId().toByteArray()).partitionKey())
          .isNotEqualTo(PartitionKeys.keyed("tenant1"));
    }
  }
}
