package dev.resolute.server.tracing;

import dev.resolute.server.pb.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * What the ingress got from {@link Tracing#ingress}: the trace context to store with the new
 * invocation, and the ingress span to end once the request is answered.
 */
public final class IngressTrace {
  /** No trace: nothing stored, nothing to end. */
  public static final IngressTrace NONE = new IngressTrace(null, null);

  private final TraceContext record;
  private final Span span;

  IngressTrace(TraceContext record, Span span) {
    this.record = record;
    this.span = span;
  }

  /** The trace context for {@code Invoke.trace}, or null. */
  public TraceContext record() {
    return record;
  }

  /** Ends the ingress span with the answer's HTTP status. Safe to call once on any instance. */
  public void end(int httpStatus) {
    if (span != null) {
      span.setAttribute(Tracing.HTTP_STATUS, (long) httpStatus);
      if (httpStatus >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
    }
  }

  /** Ends the ingress span after a refusal that has no HTTP answer of its own here. */
  public void fail(Throwable t) {
    if (span != null) {
      span.setStatus(StatusCode.ERROR, String.valueOf(t.getMessage()));
      span.end();
    }
  }
}
