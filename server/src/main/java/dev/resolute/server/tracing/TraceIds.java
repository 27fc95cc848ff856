package dev.resolute.server.tracing;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.pb.TraceContext;
import java.util.HexFormat;

/**
 * Pure conversions between the stored {@link TraceContext} and hex ids, and the one id that is
 * derived rather than stored: an invocation's own span id, the last 8 bytes of its id's UUID (the
 * random or hashed part), as restate-server derives it. Deriving it keeps apply free of randomness
 * and lets the invoker (attempt spans) and the leader (the invocation span) agree on it without
 * storing it.
 */
public final class TraceIds {
  private TraceIds() {}

  private static final HexFormat HEX = HexFormat.of();

  /** The span id (16 hex digits, never all zero) of the invocation's span. */
  public static String invocationSpanId(InvocationId id) {
    byte[] uuid = id.uuid();
    byte[] span = new byte[8];
    System.arraycopy(uuid, uuid.length - 8, span, 0, 8);
    boolean zero = true;
    for (byte b : span) {
      zero &= b == 0;
    }
    if (zero) {
      span[7] = 1;
    }
    return HEX.formatHex(span);
  }

  /** The trace context of an invocation whose span is a child of {@code parentSpanId}. */
  public static TraceContext context(
      String traceId, String parentSpanId, int flags, String traceState) {
    TraceContext.Builder b =
        TraceContext.newBuilder()
            .setTraceId(ByteString.copyFrom(HEX.parseHex(traceId)))
            .setFlags(flags);
    if (parentSpanId != null) {
      b.setParentSpanId(ByteString.copyFrom(HEX.parseHex(parentSpanId)));
    }
    if (traceState != null && !traceState.isEmpty()) {
      b.setTraceState(traceState);
    }
    return b.build();
  }

  /** The trace id as 32 hex digits ({@code sys_invocation.trace_id}). */
  public static String traceId(TraceContext c) {
    return HEX.formatHex(c.getTraceId().toByteArray());
  }

  /** The parent span id as 16 hex digits, or null for a root. */
  public static String parentSpanId(TraceContext c) {
    return c.getParentSpanId().isEmpty() ? null : HEX.formatHex(c.getParentSpanId().toByteArray());
  }

  /**
   * The trace context of an invocation started by a Call/OneWayCall of the invocation with {@code
   * caller}'s context: a child of {@code parentSpanId} (the command's span, or the caller's
   * invocation span when no span is recorded) in the caller's trace.
   */
  public static TraceContext child(TraceContext caller, String parentSpanId) {
    return caller.toBuilder()
        .setParentSpanId(ByteString.copyFrom(HEX.parseHex(parentSpanId)))
        .build();
  }
}
