package dev.resolute.server.ingress;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * Percent-decoding of one path segment as restate-server's ingress does it: {@code +} stays a plus,
 * an escape that is not two hex digits stays as written, and bytes that are not UTF-8 are an error
 * worded like Rust's {@code FromUtf8Error}.
 */
final class PathSegments {
  private PathSegments() {}

  /**
   * @throws IllegalArgumentException when the decoded bytes are not UTF-8
   */
  static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length());
    byte[] in = segment.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '%' && i + 2 < in.length) {
        int hi = Character.digit(in[i + 1], 16);
        int lo = Character.digit(in[i + 2], 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      out.write(in[i]);
    }
    byte[] bytes = out.toByteArray();
    String error = utf8Error(bytes);
    if (error != null) {
      StringJoiner list = new StringJoiner(", ", "[", "]");
      for (byte b : bytes) {
        list.add(Integer.toString(b & 0xff));
      }
      throw new IllegalArgumentException(
          "FromUtf8Error { bytes: " + list + ", error: " + error + " }");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Null for valid UTF-8, else {@code Utf8Error { valid_up_to: n, error_len: Some(k) | None }} as
   * Rust reports the first invalid sequence (None: the input ends inside a sequence).
   */
  static String utf8Error(byte[] b) {
    int i = 0;
    while (i < b.length) {
      int first = b[i] & 0xff;
      if (first < 0x80) {
        i++;
        continue;
      }
      int width;
      int lo = 0x80;
      int hi = 0xbf;
      if (first >= 0xc2 && first <= 0xdf) {
        width = 2;
      } else if (first >= 0xe0 && first <= 0xef) {
        width = 3;
        if (first == 0xe0) {
          lo = 0xa0;
        } else if (first == 0xed) {
          hi = 0x9f;
        }
      } else if (first >= 0xf0 && first <= 0xf4) {
        width = 4;
        if (first == 0xf0) {
          lo = 0x90;
        } else if (first == 0xf4) {
          hi = 0x8f;
        }
      } else {
        return error(i, "Some(1)");
      }
      for (int k = 1; k < width; k++) {
        if (i + k >= b.length) {
          return error(i, "None");
        }
        int c = b[i + k] & 0xff;
        boolean ok = k == 1 ? c >= lo && c <= hi : c >= 0x80 && c <= 0xbf;
        if (!ok) {
          return error(i, "Some(" + k + ")");
        }
      }
      i += width;
    }
    return null;
  }

  private static String error(int validUpTo, String len) {
    return "Utf8Error { valid_up_to: " + validUpTo + ", error_len: " + len + " }";
  }

  /**
   * A key segment (object key, workflow id, the key of an idempotency lookup), percent-decoded as
   * restate-server does; service, handler and idempotency-key segments and ids are taken raw.
   */
  static String decodeKey(String segment) {
    try {
      return decode(segment);
    } catch (IllegalArgumentException e) {
      throw IngressErrors.reject(400, "bad path, cannot decode key: " + e.getMessage());
    }
  }
}
