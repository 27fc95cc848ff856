package dev.resolute.server.tracing;

/**
 * A W3C {@code traceparent} header ({@code version-traceid-parentid-flags}, lower-case hex): the
 * caller's span an invocation's trace hangs under. Parsed as the W3C Trace Context spec says a
 * receiver must: version {@code ff} and all-zero ids are invalid, upper-case hex is invalid, and a
 * version above {@code 00} is read by its first four fields when what follows starts with {@code
 * -}. An invalid header is ignored (the request is not refused), as restate-server ignores it.
 *
 * @param traceId 32 hex digits, not all zero
 * @param spanId 16 hex digits, not all zero
 * @param flags the trace flags (bit 0: sampled)
 */
public record TraceParent(String traceId, String spanId, int flags) {
  public static final int SAMPLED = 0x01;

  /** The header, or null when absent or invalid. */
  public static TraceParent parse(String header) {
    if (header == null) {
      return null;
    }
    String h = header.strip();
    if (h.length() < 55) {
      return null;
    }
    String version = h.substring(0, 2);
    if (!isHex(version) || version.equals("ff")) {
      return null;
    }
    if (version.equals("00") ? h.length() != 55 : h.length() > 55 && h.charAt(55) != '-') {
      return null;
    }
    if (h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-') {
      return null;
    }
    String traceId = h.substring(3, 35);
    String spanId = h.substring(36, 52);
    String flags = h.substring(53, 55);
    if (!isHex(traceId) || !isHex(spanId) || !isHex(flags) || isZero(traceId) || isZero(spanId)) {
      return null;
    }
    return new TraceParent(traceId, spanId, Integer.parseInt(flags, 16));
  }

  public boolean sampled() {
    return (flags & SAMPLED) != 0;
  }

  /** The header value ({@code 00-…}); only the sampled flag is kept, as W3C version 00 defines. */
  public String format() {
    return "00-" + traceId + "-" + spanId + "-" + (sampled() ? "01" : "00");
  }

  static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isZero(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
