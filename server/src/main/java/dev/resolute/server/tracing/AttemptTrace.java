package dev.resolute.server.tracing;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.pb.RunCommandMessage;
import dev.resolute.server.pb.Target;
import dev.resolute.server.pb.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The trace of one attempt: its span (a child of the invocation's span), the {@code traceparent}
 * the deployment gets, one span per command the deployment journals in this attempt (replayed
 * commands have theirs already), and the trace context of invocations its calls start. Used under
 * the attempt session's lock only.
 */
public final class AttemptTrace {
  /** The invocation has no trace. */
  public static final AttemptTrace NONE = new AttemptTrace(null, null, null, null, null);

  private final Tracing tracing;
  private final InvocationId id;
  private final TraceContext ctx;
  private final String invocationSpan;
  private final Span span;

  /** Run spans still open, by completion id: they end at the run's ProposeRunCompletion. */
  private Map<Integer, Span> runs;

  AttemptTrace(
      Tracing tracing, InvocationId id, TraceContext ctx, String invocationSpan, Span span) {
    this.tracing = tracing;
    this.id = id;
    this.ctx = ctx;
    this.invocationSpan = invocationSpan;
    this.span = span;
  }

  /**
   * The {@code traceparent} header of the request to the deployment (the attempt span, so the SDK's
   * own spans hang under it, as restate-server sends it), or null without an exported span.
   */
  public String traceparent() {
    if (span == null) {
      return null;
    }
    var sc = span.getSpanContext();
    return new TraceParent(sc.getTraceId(), sc.getSpanId(), sc.getTraceFlags().asByte()).format();
  }

  /** The {@code tracestate} header to send with {@link #traceparent()}, or null. */
  public String tracestate() {
    return span == null || ctx.getTraceState().isEmpty() ? null : ctx.getTraceState();
  }

  /**
   * A command the deployment sent in this attempt, about to be journaled: starts its span (a run's
   * stays open until its ProposeRunCompletion; the others mark the moment they were journaled).
   *
   * @param callTarget the resolved callee of a Call/OneWayCall, else null
   * @return for a Call/OneWayCall, the trace context of the invocation it starts (a child of the
   *     command's span, or of this invocation's span when no span is exported); else null
   */
  public TraceContext command(MessageType type, MessageLite m, int index, Target callTarget) {
    if (ctx == null) {
      return null;
    }
    boolean call = type == MessageType.CALL_COMMAND || type == MessageType.ONE_WAY_CALL_COMMAND;
    if (span == null) {
      return call ? TraceIds.child(ctx, invocationSpan) : null;
    }
    String label = label(type);
    String name = commandName(m);
    // restate-server marks each command with an event on the attempt span; so does this
    span.addEvent(
        "restate.invocation.lifecycle.new_command",
        name == null
            ? io.opentelemetry.api.common.Attributes.of(Tracing.COMMAND_TYPE, label)
            : io.opentelemetry.api.common.Attributes.of(
                Tracing.COMMAND_TYPE, label, Tracing.COMMAND_NAME, name));
    String spanName = label;
    if (call && callTarget != null) {
      spanName = label + " " + Tracing.shortTarget(callTarget);
    } else if (name != null) {
      spanName = label + " " + name;
    }
    SpanBuilder b =
        tracing
            .tracer()
            .spanBuilder(spanName)
            .setParent(Context.root().with(span))
            .setAttribute(Tracing.INVOCATION_ID, id.toString())
            .setAttribute(Tracing.COMMAND_TYPE, label)
            .setAttribute(Tracing.COMMAND_INDEX, (long) index);
    if (name != null) {
      b.setAttribute(Tracing.COMMAND_NAME, name);
    }
    if (call && callTarget != null) {
      b.setAttribute(Tracing.RPC_SERVICE, callTarget.getService());
      b.setAttribute(Tracing.RPC_METHOD, callTarget.getHandler());
      b.setAttribute(Tracing.INVOCATION_TARGET, Tracing.fullTarget(callTarget));
    }
    Span s = b.startSpan();
    if (type == MessageType.RUN_COMMAND) {
      if (runs == null) {
        runs = new HashMap<>();
      }
      Span previous = runs.put(((RunCommandMessage) m).getResultCompletionId(), s);
      if (previous != null) {
        previous.end();
      }
      return null;
    }
    s.end();
    return call ? TraceIds.child(ctx, s.getSpanContext().getSpanId()) : null;
  }

  /** The deployment proposed the result of the run with {@code completionId}: its span ends. */
  public void runProposed(int completionId, boolean failed) {
    if (span != null) {
      span.addEvent("restate.invocation.lifecycle.run_ended");
    }
    Span s = runs == null ? null : runs.remove(completionId);
    if (s != null) {
      if (failed) {
        s.setStatus(StatusCode.ERROR);
      }
      s.end();
    }
  }

  /**
   * The attempt ended: {@code outcome} is {@code completed}, {@code suspended} or {@code failed}
   * (then {@code error} says why). Open run spans end with it.
   */
  public void end(String outcome, String error) {
    if (span == null) {
      return;
    }
    if (runs != null) {
      runs.values().forEach(Span::end);
      runs = null;
    }
    switch (outcome) {
      case "completed" -> span.setStatus(StatusCode.OK);
      case "failed" -> span.setStatus(StatusCode.ERROR, error == null ? "failed" : error);
      default -> span.addEvent("restate.invocation.lifecycle." + outcome);
    }
    span.end();
  }

  /** {@code RUN_COMMAND} → {@code run}, {@code ONE_WAY_CALL_COMMAND} → {@code one-way-call}. */
  static String label(MessageType type) {
    String n = type.name();
    if (n.endsWith("_COMMAND")) {
      n = n.substring(0, n.length() - "_COMMAND".length());
    }
    return n.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The command's {@code name} field (every command message has one), or null when empty. */
  static String commandName(MessageLite m) {
    if (m instanceof Message msg) {
      Descriptors.FieldDescriptor f = msg.getDescriptorForType().findFieldByName("name");
      if (f != null && f.getType() == Descriptors.FieldDescriptor.Type.STRING) {
        String v = (String) msg.getField(f);
        return v.isEmpty() ? null : v;
      }
    }
    return null;
  }
}
