package dev.resolute.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.util.Map;

/**
 * {@code log-format = "json"}: one JSON object per line, in the shape restate-server writes (its
 * tracing subscriber's JSON): {@code {"timestamp":…,"level":"INFO","fields":{"message":…},
 * "target":…,"threadName":…}}. The event's MDC entries (invocation id, partition, …) join {@code
 * fields}, and a throwable is {@code fields.exception} with its stack trace. Line breaks in any
 * value are escaped, so one event is always one line.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {
  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder b = new StringBuilder(256);
    b.append("{\"timestamp\":");
    string(b, Instant.ofEpochMilli(event.getTimeStamp()).toString());
    b.append(",\"level\":");
    string(b, event.getLevel().toString());
    b.append(",\"fields\":{\"message\":");
    string(b, event.getFormattedMessage());
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null) {
      for (Map.Entry<String, String> e : mdc.entrySet()) {
        if (!e.getKey().equals("message")) {
          b.append(',');
          string(b, e.getKey());
          b.append(':');
          string(b, e.getValue());
        }
      }
    }
    IThrowableProxy t = event.getThrowableProxy();
    if (t != null) {
      b.append(",\"exception\":");
      string(b, ThrowableProxyUtil.asString(t));
    }
    b.append("},\"target\":");
    string(b, event.getLoggerName());
    b.append(",\"threadName\":");
    string(b, event.getThreadName());
    b.append("}\n");
    return b.toString();
  }

  /** Appends {@code s} as a JSON string (null as {@code null}). */
  static void string(StringBuilder b, String s) {
    if (s == null) {
      b.append("null");
      return;
    }
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
