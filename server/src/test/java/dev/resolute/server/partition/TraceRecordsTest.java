package dev.resolute.server.partition;

import static dev.resolute.server.partition.StateMachineTest.SERVICE;
import static dev.resolute.server.partition.StateMachineTest.command;
import static dev.resolute.server.partition.StateMachineTest.event;
import static dev.resolute.server.partition.StateMachineTest.id;
import static dev.resolute.server.partition.StateMachineTest.invoke;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.CallCommandMessage;
import dev.resolute.protocol.pb.OutputCommandMessage;
import dev.resolute.protocol.pb.Value;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.InvokerEvent;
import dev.resolute.server.pb.Target;
import dev.resolute.server.pb.TraceContext;
import dev.resolute.server.tracing.TraceIds;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trace context travels in records only: apply copies it from {@code Invoke} into the status,
 * from a Call's {@code InvokerEvent.child_trace} into the callee's {@code Invoke}, and asks for the
 * invocation's span once a traced invocation completes — and for nothing when there is no trace.
 */
class TraceRecordsTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final TraceContext CTX = TraceIds.context(TRACE, "00f067aa0ba902b7", 1, "k=v");

  final StateMachineTest sm = new StateMachineTest();

  @Test
  void theStoredTraceReachesTheAttemptTheCalleeAndTheEndEffect() {
    InvocationId id = id("t", 1);
    Envelope.Builder inv = invoke(id, SERVICE, 7, true);
    inv.getInvokeBuilder().setTrace(CTX);
    List<Effect> e = sm.apply(inv);
    Effect.StartAttempt start = (Effect.StartAttempt) e.get(0);
    assertThat(start.status().getTrace()).isEqualTo(CTX);

    TraceContext child = TraceIds.child(CTX, "a1b2c3d4e5f60718");
    Target callee = Target.newBuilder().setService("Other").setHandler("h").build();
    Envelope.Builder call =
        command(
            id,
            1,
            CallCommandMessage.newBuilder()
                .setServiceName("Other")
                .setHandlerName("h")
                .setResultCompletionId(1)
                .setInvocationIdNotificationIdx(2)
                .build());
    call.getInvokerEventBuilder().setCallTarget(callee).setChildTrace(child);
    e = sm.apply(call);
    Effect.Ship ship =
        e.stream()
            .filter(Effect.Ship.class::isInstance)
            .map(Effect.Ship.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(ship.envelope().getInvoke().getTrace()).isEqualTo(child);
    assertThat(TraceIds.parentSpanId(ship.envelope().getInvoke().getTrace()))
        .isEqualTo("a1b2c3d4e5f60718");

    sm.apply(
        command(
            id,
            1,
            OutputCommandMessage.newBuilder()
                .setValue(Value.newBuilder().setContent(ByteString.copyFromUtf8("\"done\"")))
                .build()));
    e = sm.apply(event(id, 1, InvokerEvent.newBuilder().setEnd(true)));
    Effect.InvocationEnded ended =
        e.stream()
            .filter(Effect.InvocationEnded.class::isInstance)
            .map(Effect.InvocationEnded.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(ended.id()).isEqualTo(id);
    assertThat(ended.status().getTrace()).isEqualTo(CTX);
    assertThat(ended.status().getCompletedAt()).isEqualTo(sm.now);
  }

  @Test
  void withoutATraceNothingIsStoredOrAskedFor() {
    InvocationId id = id("t", 2);
    Effect.StartAttempt start = (Effect.StartAttempt) sm.apply(invoke(id, SERVICE, 7, true)).get(0);
    assertThat(start.status().hasTrace()).isFalse();
    Envelope.Builder call =
        command(
            id,
            1,
            CallCommandMessage.newBuilder()
                .setServiceName("Other")
                .setHandlerName("h")
                .setResultCompletionId(1)
                .setInvocationIdNotificationIdx(2)
                .build());
    call.getInvokerEventBuilder()
        .setCallTarget(Target.newBuilder().setService("Other").setHandler("h"));
    List<Effect> e = sm.apply(call);
    assertThat(e)
        .filteredOn(Effect.Ship.class::isInstance)
        .allMatch(s -> !((Effect.Ship) s).envelope().getInvoke().hasTrace());
    assertThat(sm.apply(event(id, 1, InvokerEvent.newBuilder().setEnd(true))))
        .noneMatch(Effect.InvocationEnded.class::isInstance);
  }

  @Test
  void theInvocationSpanIdIsDerivedFromTheId() {
    InvocationId id = id("t", 3);
    assertThat(TraceIds.invocationSpanId(id)).isEqualTo("0000000000000003");
    assertThat(TraceIds.invocationSpanId(new InvocationId(1, new byte[16])))
        .isEqualTo("0000000000000001"); // never the invalid all-zero id
    assertThat(MessageType.CALL_COMMAND.isCommand()).isTrue();
  }
}
