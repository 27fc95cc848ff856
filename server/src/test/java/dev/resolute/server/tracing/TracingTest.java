package dev.resolute.server.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.CallCommandMessage;
import dev.resolute.protocol.pb.RunCommandMessage;
import dev.resolute.protocol.pb.SleepCommandMessage;
import dev.resolute.server.config.TracingConfig;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.Outcome;
import dev.resolute.server.pb.Target;
import dev.resolute.server.pb.TraceContext;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The spans {@link Tracing} makes, their parentage and the stored context, without a network. */
class TracingTest {
  static final String TRACE = TraceParentTest.TRACE;
  static final String SPAN = TraceParentTest.SPAN;
  static final Target FRONT = Target.newBuilder().setService("Front").setHandler("go").build();
  static final Target OBJ =
      Target.newBuilder().setService("Obj").setHandler("add").setKey("k").setKeyed(true).build();
  static final InvocationId ID =
      new InvocationId(7, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});

  /** Keeps every exported span. */
  static final class Collect implements SpanExporter {
    final List<SpanData> spans = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> s) {
      spans.addAll(s);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    SpanData named(String name) {
      return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }
  }

  @Test
  void disabledTracingKeepsOnlyASampledCallersContext() {
    Tracing off = Tracing.disabled();
    assertThat(off.enabled()).isFalse();
    assertThat(off.ingress(ID, FRONT, null, null)).isSameAs(IngressTrace.NONE);
    assertThat(off.ingress(ID, FRONT, "garbage", null)).isSameAs(IngressTrace.NONE);
    assertThat(off.ingress(ID, FRONT, "00-" + TRACE + "-" + SPAN + "-00", null))
        .isSameAs(IngressTrace.NONE); // not sampled: restate-server stores nothing either
    TraceContext c = off.ingress(ID, FRONT, "00-" + TRACE + "-" + SPAN + "-01", "a=1").record();
    assertThat(TraceIds.traceId(c)).isEqualTo(TRACE);
    assertThat(TraceIds.parentSpanId(c)).isEqualTo(SPAN);
    assertThat(c.getTraceState()).isEqualTo("a=1");

    // an attempt without spans: no traceparent, calls still inherit the trace
    InvocationStatus st = InvocationStatus.newBuilder().setTarget(FRONT).setTrace(c).build();
    AttemptTrace a = off.attempt(ID, st, "dp", "http://x", 5);
    assertThat(a.traceparent()).isNull();
    TraceContext child =
        a.command(MessageType.CALL_COMMAND, CallCommandMessage.getDefaultInstance(), 1, FRONT);
    assertThat(TraceIds.traceId(child)).isEqualTo(TRACE);
    assertThat(TraceIds.parentSpanId(child)).isEqualTo(TraceIds.invocationSpanId(ID));
    assertThat(off.attempt(ID, InvocationStatus.getDefaultInstance(), "dp", "x", 5))
        .isSameAs(AttemptTrace.NONE);
  }

  @Test
  void spansFormOneTreeUnderTheCaller() {
    Collect out = new Collect();
    Tracing t = Tracing.create(out, "c", "n", Duration.ofMillis(10));
    IngressTrace in = t.ingress(ID, OBJ, "00-" + TRACE + "-" + SPAN + "-01", null);
    TraceContext stored = in.record();
    assertThat(TraceIds.traceId(stored)).isEqualTo(TRACE);

    InvocationStatus st =
        InvocationStatus.newBuilder()
            .setTarget(OBJ)
            .setTrace(stored)
            .setAttempt(1)
            .setCreatedAt(1_000)
            .setCompletedAt(2_000)
            .build();
    AttemptTrace a = t.attempt(ID, st, "dp_1", "http://svc", 5);
    TraceParent sent = TraceParent.parse(a.traceparent());
    assertThat(sent.traceId()).isEqualTo(TRACE);
    a.command(
        MessageType.RUN_COMMAND,
        RunCommandMessage.newBuilder().setName("step").setResultCompletionId(3).build(),
        1,
        null);
    a.command(MessageType.SLEEP_COMMAND, SleepCommandMessage.getDefaultInstance(), 2, null);
    TraceContext child =
        a.command(MessageType.CALL_COMMAND, CallCommandMessage.getDefaultInstance(), 3, FRONT);
    a.runProposed(3, false);
    a.end("completed", null);
    in.end(200);
    t.invocationEnded(
        ID, st.toBuilder().setOutcome(Outcome.newBuilder().setSuccess(ByteString.EMPTY)).build());
    t.close();

    SpanData ingress = out.named("ingress Obj/{key}/add");
    assertThat(ingress.getParentSpanId()).isEqualTo(SPAN);
    assertThat(ingress.getAttributes().get(Tracing.INVOCATION_TARGET)).isEqualTo("Obj/k/add");
    assertThat(TraceIds.parentSpanId(stored)).isEqualTo(ingress.getSpanId());

    SpanData invocation = out.named("invocation Obj/{key}/add");
    assertThat(invocation.getSpanId()).isEqualTo(TraceIds.invocationSpanId(ID));
    assertThat(invocation.getTraceId()).isEqualTo(TRACE);
    assertThat(invocation.getParentSpanId()).isEqualTo(ingress.getSpanId());
    assertThat(invocation.getStartEpochNanos()).isEqualTo(1_000_000_000L);
    assertThat(invocation.getEndEpochNanos()).isEqualTo(2_000_000_000L);
    assertThat(invocation.getAttributes().get(Tracing.INVOCATION_RESULT)).isEqualTo("success");

    SpanData end = out.named("invocation-end Obj/{key}/add");
    assertThat(end.getParentSpanId()).isEqualTo(invocation.getSpanId());
    assertThat(end.getAttributes().get(Tracing.INVOCATION_RESULT)).isEqualTo("success");

    SpanData attempt = out.named("invocation-attempt Obj/{key}/add");
    assertThat(attempt.getEvents())
        .extracting(e -> e.getName())
        .containsExactly(
            "restate.invocation.lifecycle.new_command",
            "restate.invocation.lifecycle.new_command",
            "restate.invocation.lifecycle.new_command",
            "restate.invocation.lifecycle.run_ended");
    assertThat(attempt.getParentSpanId()).isEqualTo(invocation.getSpanId());
    assertThat(attempt.getSpanId()).isEqualTo(sent.spanId());
    assertThat(attempt.getAttributes().get(Tracing.DEPLOYMENT_ID)).isEqualTo("dp_1");

    SpanData run = out.named("run step");
    assertThat(run.getParentSpanId()).isEqualTo(attempt.getSpanId());
    assertThat(run.getAttributes().get(Tracing.COMMAND_NAME)).isEqualTo("step");
    assertThat(run.getAttributes().get(Tracing.COMMAND_INDEX)).isEqualTo(1L);
    assertThat(out.named("sleep").getParentSpanId()).isEqualTo(attempt.getSpanId());
    SpanData call = out.named("call Front/go");
    assertThat(call.getParentSpanId()).isEqualTo(attempt.getSpanId());
    assertThat(TraceIds.parentSpanId(child)).isEqualTo(call.getSpanId());
    assertThat(out.spans).allMatch(s -> s.getTraceId().equals(TRACE));
    assertThat(
            out.spans
                .get(0)
                .getResource()
                .getAttribute(
                    io.opentelemetry.api.common.AttributeKey.stringKey("service.instance.id")))
        .isEqualTo("c/n");
  }

  @Test
  void anUnsampledCallerGetsNoSpansAndNothingStored() {
    Collect out = new Collect();
    Tracing t = Tracing.create(out, "c", "n", Duration.ofMillis(10));
    assertThat(t.ingress(ID, FRONT, "00-" + TRACE + "-" + SPAN + "-00", null))
        .isSameAs(IngressTrace.NONE);
    // no caller at all: a new trace rooted at the ingress span
    IngressTrace root = t.ingress(ID, FRONT, null, null);
    root.end(200);
    t.close();
    assertThat(out.spans)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo("ingress Front/go");
              assertThat(s.getParentSpanContext().isValid()).isFalse();
              assertThat(TraceIds.traceId(root.record())).isEqualTo(s.getTraceId());
            });
  }

  @Test
  void endpointSchemesPickTheTransportAsRestateServerDoes() {
    assertThat(TracingConfig.target("http://h:4317"))
        .isEqualTo(new TracingConfig.Target(TracingConfig.Protocol.GRPC, "http://h:4317"));
    assertThat(TracingConfig.target("https://h:4317").url()).isEqualTo("https://h:4317");
    assertThat(TracingConfig.target("grpc://h:4317").url()).isEqualTo("http://h:4317");
    assertThat(TracingConfig.target("otlp+grpc://h:4317").protocol())
        .isEqualTo(TracingConfig.Protocol.GRPC);
    assertThat(TracingConfig.target("otlp+http://h:4318/v1/traces"))
        .isEqualTo(
            new TracingConfig.Target(
                TracingConfig.Protocol.HTTP_PROTOBUF, "http://h:4318/v1/traces"));
    assertThat(TracingConfig.target("http+otlp://h:4318/v1/traces").protocol())
        .isEqualTo(TracingConfig.Protocol.HTTP_PROTOBUF);
    assertThat(TracingConfig.target("otlp+proto+https://h/v1/traces").url())
        .isEqualTo("https://h/v1/traces");
    for (String bad : List.of("h:4317", "ftp://h", "otlp+json+http://h/v1/traces", "nope")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> TracingConfig.target(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid tracing endpoint");
    }
  }
}
