package dev.resolute.server.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An aggregated HTTP request, independent of Netty. Header names are lower-case, in arrival order;
 * {@code uri} is the raw path and query.
 */
public record HttpRequest(
    String method, String uri, List<Map.Entry<String, String>> headers, byte[] body) {

  /** The path without the query string (still percent-encoded). */
  public String path() {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /** The raw query string, or "" when there is none. */
  public String rawQuery() {
    int q = uri.indexOf('?');
    return q < 0 ? "" : uri.substring(q + 1);
  }

  /** Decoded query parameters; for repeated names the last value wins. */
  public Map<String, String> query() {
    Map<String, String> out = new LinkedHashMap<>();
    String q = rawQuery();
    if (q.isEmpty()) {
      return out;
    }
    for (String pair : q.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(decodeComponent(k), decodeComponent(v));
    }
    return out;
  }

  /**
   * Decodes a form-encoded component ({@code +} is a space, {@code %XX} a byte, the bytes UTF-8) as
   * {@link URLDecoder} does, except that an escape that is not two hex digits stays as written
   * instead of throwing (as the form-urlencoded decoding of restate-server does), so that no
   * request can make decoding fail.
   */
  public static String decodeComponent(String s) {
    if (s.indexOf('%') < 0) {
      return s.indexOf('+') < 0 ? s : s.replace('+', ' ');
    }
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      byte c = in[i];
      if (c == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
        out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
        i += 2;
      } else {
        out.write(c == '+' ? ' ' : c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte b) {
    return Character.digit(b, 16);
  }

  /** First value of a header (case-insensitive), or null. */
  public String header(String name) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  /** Path segments, split on '/', still percent-encoded, empty segments dropped. */
  public List<String> segments() {
    List<String> out = new ArrayList<>();
    for (String s : path().split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }
}
