package dev.resolute.server.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a fuzzer's bytes into an {@link HttpRequest}, in a shape that keeps seeds readable: {@code
 * METHOD URI}, then {@code name: value} header lines, an empty line, and the body. The head is read
 * as ISO-8859-1 (one char per byte, as the HTTP server hands it over); header names are lower-cased
 * as the server does.
 */
public final class FuzzRequests {
  private FuzzRequests() {}

  public static HttpRequest parse(byte[] input) {
    int headEnd = indexOf(input, new byte[] {'\n', '\n'});
    byte[] body = headEnd < 0 ? new byte[0] : Arrays.copyOfRange(input, headEnd + 2, input.length);
    String head =
        new String(input, 0, headEnd < 0 ? input.length : headEnd, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\n", -1);
    String requestLine = lines[0];
    int sp = requestLine.indexOf(' ');
    String method = sp < 0 ? requestLine : requestLine.substring(0, sp);
    String uri = sp < 0 ? "/" : requestLine.substring(sp + 1);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        continue;
      }
      headers.add(
          Map.entry(
              lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
              lines[i].substring(colon + 1).trim()));
    }
    return new HttpRequest(method, uri, headers, body);
  }

  private static int indexOf(byte[] in, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= in.length; i++) {
      for (int k = 0; k < what.length; k++) {
        if (in[i + k] != what[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
