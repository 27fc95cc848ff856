package dev.resolute.server.tracing;

import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.pb.Target;
import org.slf4j.MDC;

/**
 * The MDC keys of a log line about an invocation, named as restate-server names the fields of its
 * log events: {@code restate.invocation.id}, {@code rpc.service}, {@code rpc.method}. The JSON log
 * format prints them among the event's fields; the text formats print them after the message.
 * Callers put them around their log calls only ({@code put} … {@code finally clear()}), so the hot
 * path pays nothing for them.
 */
public final class InvocationMdc {
  public static final String INVOCATION_ID = "restate.invocation.id";
  public static final String SERVICE = "rpc.service";
  public static final String METHOD = "rpc.method";

  private InvocationMdc() {}

  /** Puts the three keys (a null target leaves service and method unset). */
  public static void put(InvocationId id, Target target) {
    MDC.put(INVOCATION_ID, id.toString());
    if (target != null) {
      MDC.put(SERVICE, target.getService());
      MDC.put(METHOD, target.getHandler());
    }
  }

  /** Removes the three keys. */
  public static void clear() {
    MDC.remove(INVOCATION_ID);
    MDC.remove(SERVICE);
    MDC.remove(METHOD);
  }
}
