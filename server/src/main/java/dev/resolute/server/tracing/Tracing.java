package dev.resolute.server.tracing;

import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.config.TracingConfig;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.Target;
import dev.resolute.server.pb.TraceContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Invocation traces, exported by OTLP to {@code tracing-endpoint}. The node builds one; its hooks
 * are {@link #ingress} (the ingress span, and the trace context the new invocation stores), {@link
 * #attempt} (the attempt span, its {@code traceparent} for the deployment, and one span per
 * journaled command) and {@link #invocationEnded} (the invocation's span, from its stored times).
 *
 * <p>Spans, as restate-server names them where it has the same span ({@code {target}} is {@code
 * Service/handler} or {@code Object/{key}/handler}):
 *
 * <pre>
 * caller's span (traceparent)
 *  └ ingress {target}                     ingress, request received → answered
 *     └ invocation {target}              created → completed (span id derived from the id)
 *        ├ invocation-attempt {target}   one per attempt, deployment request → End/Suspension/failure
 *        │  ├ run [name]                 RunCommand → ProposeRunCompletion
 *        │  ├ call {callee target}        the Call command; the callee's "invocation" span is its child
 *        │  └ sleep, set-state, …         one per other journaled command (at its arrival)
 *        └ invocation-end {target}       at completion, with restate.invocation.result
 * </pre>
 *
 * <p>restate-server 1.7.12 (observed with the same collector) emits {@code ingress}, {@code
 * invocation-start} (an instant, where this emits {@code invocation} over the whole lifetime),
 * {@code invocation-attempt} with one {@code restate.invocation.lifecycle.new_command} event per
 * command (emitted here too, beside the command spans) and {@code invocation-end}; a callee's
 * invocation hangs under the caller's attempt span, here under the call's command span.
 *
 * <p>With no endpoint configured ({@link #disabled()}) nothing of the SDK exists: the ingress only
 * reads a caller's {@code traceparent} (stored so {@code sys_invocation.trace_id} shows it, as
 * restate-server shows it), and the hooks return shared no-op objects.
 */
public final class Tracing implements AutoCloseable {
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<String> INVOCATION_ID = AttributeKey.stringKey("restate.invocation.id");
  static final AttributeKey<String> INVOCATION_TARGET =
      AttributeKey.stringKey("restate.invocation.target");
  static final AttributeKey<String> INVOCATION_RESULT =
      AttributeKey.stringKey("restate.invocation.result");
  static final AttributeKey<Long> ERROR_CODE = AttributeKey.longKey("restate.error.code");
  static final AttributeKey<String> DEPLOYMENT_ID = AttributeKey.stringKey("restate.deployment.id");
  static final AttributeKey<String> DEPLOYMENT_ADDRESS =
      AttributeKey.stringKey("restate.deployment.address");
  static final AttributeKey<Long> PROTOCOL_VERSION =
      AttributeKey.longKey("restate.deployment.service_protocol_version");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("restate.invocation.attempt");
  static final AttributeKey<String> COMMAND_TYPE =
      AttributeKey.stringKey("restate.journal.command.type");
  static final AttributeKey<String> COMMAND_NAME =
      AttributeKey.stringKey("restate.journal.command.name");
  static final AttributeKey<Long> COMMAND_INDEX =
      AttributeKey.longKey("restate.journal.command.index");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

  private static final Tracing DISABLED = new Tracing(null, null, null);

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final FixedIds ids;

  private Tracing(SdkTracerProvider provider, Tracer tracer, FixedIds ids) {
    this.provider = provider;
    this.tracer = tracer;
    this.ids = ids;
  }

  /** No export: no SDK object is created, per request or otherwise. */
  public static Tracing disabled() {
    return DISABLED;
  }

  /** Tracing as {@code config} says (disabled when it names no endpoint). */
  public static Tracing create(TracingConfig config, String clusterName, String nodeName) {
    if (!config.enabled()) {
      return DISABLED;
    }
    TracingConfig.Target target = TracingConfig.target(config.endpoint());
    SpanExporter exporter =
        switch (target.protocol()) {
          case GRPC -> {
            var b = OtlpGrpcSpanExporter.builder().setEndpoint(target.url());
            config.headers().forEach(b::addHeader);
            yield b.build();
          }
          case HTTP_PROTOBUF -> {
            var b = OtlpHttpSpanExporter.builder().setEndpoint(target.url());
            config.headers().forEach(b::addHeader);
            yield b.build();
          }
        };
    return create(exporter, clusterName, nodeName, Duration.ofMillis(500));
  }

  /** Tracing into {@code exporter} (tests pass an in-memory one). */
  static Tracing create(
      SpanExporter exporter, String clusterName, String nodeName, Duration exportDelay) {
    FixedIds ids = new FixedIds();
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.builder()
                        // restate-server's resource, so dashboards built for it find these spans
                        .put("service.name", "Restate")
                        .put("service.namespace", "Restate")
                        .put("service.instance.id", clusterName + "/" + nodeName)
                        .put("service.version", "resolute-0.1.0")
                        .build()));
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .setIdGenerator(ids)
            .addSpanProcessor(
                BatchSpanProcessor.builder(exporter).setScheduleDelay(exportDelay).build())
            .build();
    return new Tracing(provider, provider.get("services"), ids);
  }

  /** Whether spans are exported. */
  public boolean enabled() {
    return tracer != null;
  }

  // ---------------------------------------------------------------- ingress

  /**
   * Called by the ingress for a new invocation request, before it is dispatched.
   *
   * @param traceparent the request's {@code traceparent} header, or null
   * @param tracestate its {@code tracestate} header, or null
   * @return the ingress span and the trace context to store with the invocation; {@link
   *     IngressTrace#NONE} when there is neither an exported span nor a sampled caller
   */
  public IngressTrace ingress(
      InvocationId id, Target target, String traceparent, String tracestate) {
    if (tracer == null && traceparent == null) {
      return IngressTrace.NONE;
    }
    TraceParent caller = TraceParent.parse(traceparent);
    if (tracer == null) {
      if (caller == null || !caller.sampled()) {
        return IngressTrace.NONE;
      }
      // no span of ours: the invocation hangs under the caller's span directly
      return new IngressTrace(
          TraceIds.context(caller.traceId(), caller.spanId(), caller.flags(), tracestate), null);
    }
    Context parent =
        caller == null
            ? Context.root()
            : remote(caller.traceId(), caller.spanId(), caller.flags(), tracestate);
    Span span =
        tracer
            .spanBuilder("ingress " + shortTarget(target))
            .setSpanKind(SpanKind.SERVER)
            .setParent(parent)
            .setAllAttributes(targetAttributes(id, target))
            .startSpan();
    SpanContext sc = span.getSpanContext();
    if (!sc.isSampled()) {
      span.end();
      return IngressTrace.NONE;
    }
    return new IngressTrace(
        TraceIds.context(sc.getTraceId(), sc.getSpanId(), TraceParent.SAMPLED, tracestate), span);
  }

  // ---------------------------------------------------------------- invoker

  /**
   * Called by the invoker when an attempt starts.
   *
   * @return the attempt's trace; {@link AttemptTrace#NONE} when the invocation has no trace
   */
  public AttemptTrace attempt(
      InvocationId id,
      InvocationStatus status,
      String deploymentId,
      String deploymentAddress,
      int protocolVersion) {
    if (!status.hasTrace()) {
      return AttemptTrace.NONE;
    }
    TraceContext ctx = status.getTrace();
    String invocationSpan = TraceIds.invocationSpanId(id);
    if (tracer == null) {
      return new AttemptTrace(this, id, ctx, invocationSpan, null);
    }
    Target t = status.getTarget();
    Span span =
        tracer
            .spanBuilder("invocation-attempt " + shortTarget(t))
            .setSpanKind(SpanKind.CLIENT)
            .setParent(
                remote(TraceIds.traceId(ctx), invocationSpan, ctx.getFlags(), ctx.getTraceState()))
            .setAllAttributes(targetAttributes(id, t))
            .setAttribute(RPC_SYSTEM, "restate")
            .setAttribute(DEPLOYMENT_ID, deploymentId)
            .setAttribute(DEPLOYMENT_ADDRESS, deploymentAddress)
            .setAttribute(PROTOCOL_VERSION, (long) protocolVersion)
            .setAttribute(ATTEMPT, (long) status.getAttempt())
            .startSpan();
    return new AttemptTrace(this, id, ctx, invocationSpan, span);
  }

  Tracer tracer() {
    return tracer;
  }

  // ---------------------------------------------------------------- partition (effect)

  /**
   * Emits the span of a completed invocation, from its stored times (created → completed), with the
   * id its attempts already used as their parent. Called on the leader after the completion is
   * committed; a leader that dies first loses the span, never the invocation.
   */
  public void invocationEnded(InvocationId id, InvocationStatus status) {
    if (tracer == null || !status.hasTrace()) {
      return;
    }
    TraceContext ctx = status.getTrace();
    Target t = status.getTarget();
    String parentSpan = TraceIds.parentSpanId(ctx);
    SpanBuilder b =
        tracer
            .spanBuilder("invocation " + shortTarget(t))
            .setSpanKind(SpanKind.INTERNAL)
            .setStartTimestamp(status.getCreatedAt(), TimeUnit.MILLISECONDS)
            .setAllAttributes(targetAttributes(id, t));
    if (parentSpan != null) {
      b.setParent(remote(TraceIds.traceId(ctx), parentSpan, ctx.getFlags(), ctx.getTraceState()));
    } else {
      b.setNoParent();
    }
    Span span = ids.withIds(TraceIds.traceId(ctx), TraceIds.invocationSpanId(id), b::startSpan);
    long end = Math.max(status.getCompletedAt(), status.getCreatedAt());
    // restate-server's marker of the end, a child of the invocation's span, with the result
    Span marker =
        tracer
            .spanBuilder("invocation-end " + shortTarget(t))
            .setParent(Context.root().with(span))
            .setStartTimestamp(end, TimeUnit.MILLISECONDS)
            .setAllAttributes(targetAttributes(id, t))
            .startSpan();
    for (Span s : new Span[] {span, marker}) {
      if (status.hasOutcome() && status.getOutcome().hasFailure()) {
        s.setAttribute(INVOCATION_RESULT, "failure");
        s.setAttribute(ERROR_CODE, (long) status.getOutcome().getFailure().getCode());
        s.setStatus(StatusCode.ERROR, status.getOutcome().getFailure().getMessage());
      } else {
        s.setAttribute(INVOCATION_RESULT, "success");
      }
    }
    marker.end(end, TimeUnit.MILLISECONDS);
    span.end(end, TimeUnit.MILLISECONDS);
  }

  /** Exports what is buffered and stops the exporter. */
  @Override
  public void close() {
    if (provider != null) {
      provider.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  /** Exports what is buffered (tests). */
  void flush() {
    if (provider != null) {
      provider.forceFlush().join(5, TimeUnit.SECONDS);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** restate-server's short target: {@code Service/handler}, {@code Object/{key}/handler}. */
  static String shortTarget(Target t) {
    return t.getKeyed()
        ? t.getService() + "/{key}/" + t.getHandler()
        : t.getService() + "/" + t.getHandler();
  }

  static String fullTarget(Target t) {
    return t.getKeyed()
        ? t.getService() + "/" + t.getKey() + "/" + t.getHandler()
        : t.getService() + "/" + t.getHandler();
  }

  static Attributes targetAttributes(InvocationId id, Target t) {
    AttributesBuilder a = Attributes.builder();
    a.put(RPC_SERVICE, t.getService());
    a.put(RPC_METHOD, t.getHandler());
    a.put(INVOCATION_ID, id.toString());
    a.put(INVOCATION_TARGET, fullTarget(t));
    return a.build();
  }

  static Context remote(String traceId, String spanId, int flags, String traceState) {
    return Context.root()
        .with(
            Span.wrap(
                SpanContext.createFromRemoteParent(
                    traceId,
                    spanId,
                    TraceFlags.fromByte((byte) (flags & TraceParent.SAMPLED)),
                    traceState(traceState))));
  }

  /** A W3C {@code tracestate} header as the SDK's type; malformed members are dropped. */
  static TraceState traceState(String header) {
    if (header == null || header.isBlank()) {
      return TraceState.getDefault();
    }
    TraceStateBuilder b = TraceState.builder();
    String[] members = header.split(",");
    // the builder puts each new key first: add from the last member so the order is kept
    for (int i = members.length - 1; i >= 0; i--) {
      String m = members[i].strip();
      int eq = m.indexOf('=');
      if (eq > 0) {
        b.put(m.substring(0, eq), m.substring(eq + 1));
      }
    }
    return b.build();
  }

  /**
   * Random ids, except for the span started inside {@link #withIds}: the invocation span, whose ids
   * are decided (stored trace id, derived span id) rather than drawn.
   */
  static final class FixedIds implements IdGenerator {
    private final ThreadLocal<String[]> next = new ThreadLocal<>();

    Span withIds(String traceId, String spanId, java.util.function.Supplier<Span> start) {
      next.set(new String[] {traceId, spanId});
      try {
        return start.get();
      } finally {
        next.remove();
      }
    }

    @Override
    public String generateSpanId() {
      String[] n = next.get();
      return n != null ? n[1] : IdGenerator.random().generateSpanId();
    }

    @Override
    public String generateTraceId() {
      String[] n = next.get();
      return n != null ? n[0] : IdGenerator.random().generateTraceId();
    }
  }
}
