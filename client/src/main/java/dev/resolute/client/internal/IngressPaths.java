package dev.resolute.client.internal;

import dev.resolute.common.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Ingress URL paths (restate-server 1.7): every dynamic segment is percent-encoded (RFC 3986). */
public final class IngressPaths {
  private IngressPaths() {}

  /** {@code /{service}[/{key}]/{handler}}. */
  public static String call(Target t) {
    StringBuilder sb = new StringBuilder().append('/').append(segment(t.getService()));
    if (t.getKey() != null) {
      sb.append('/').append(segment(t.getKey()));
    }
    return sb.append('/').append(segment(t.getHandler())).toString();
  }

  /** {@code …/send}, with {@code ?delay=<millis>ms} when the delay is positive. */
  public static String send(Target t, Duration delay) {
    String p = call(t) + "/send";
    if (delay != null && !delay.isZero() && !delay.isNegative()) {
      p += "?delay=" + delay.toMillis() + "ms";
    }
    return p;
  }

  public static String invocation(String invocationId) {
    return "/restate/invocation/" + segment(invocationId);
  }

  /** {@code /restate/invocation/{service}[/{key}]/{handler}/{idempotencyKey}}. */
  public static String idempotentInvocation(Target t, String idempotencyKey) {
    return "/restate/invocation" + call(t) + "/" + segment(idempotencyKey);
  }

  public static String workflow(String name, String id) {
    return "/restate/workflow/" + segment(name) + "/" + segment(id);
  }

  public static String awakeable(String id, String action) {
    return "/restate/awakeables/" + segment(id) + "/" + action;
  }

  /** Percent-encodes everything except RFC 3986 unreserved characters. */
  public static String segment(String s) {
    if (s == null) {
      throw new IllegalArgumentException("path segment must not be null");
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
