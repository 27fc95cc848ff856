package dev.resolute.protocol.id;

/** Fixed-width base62 (alphabet 0-9a-zA-Z), most significant digit first. */
public final class Base62 {
  static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  private Base62() {}

  /**
   * Encodes the unsigned integer whose big-endian bytes are given, left-padded to width. Schoolbook
   * division of a copy of the bytes by 62^5, five digits per pass: ids are encoded on the hot path
   * (headers, keys, logs), where {@code BigInteger} division showed up in profiles.
   */
  public static String encode(byte[] bigEndianUnsigned, int width) {
    byte[] v = bigEndianUnsigned.clone();
    char[] out = new char[width];
    int first = 0; // index of the first non-zero byte of v
    // five digits per pass: v is divided by 62^5 (< 2^30), the remainder split into digits
    for (int i = width; i > 0; ) {
      int digits = Math.min(5, i);
      long divisor = POW62[digits];
      while (first < v.length && v[first] == 0) {
        first++;
      }
      long rem = 0;
      for (int j = first; j < v.length; j++) {
        long cur = (rem << 8) | (v[j] & 0xff);
        v[j] = (byte) (cur / divisor);
        rem = cur % divisor;
      }
      for (int d = 0; d < digits; d++) {
        out[--i] = ALPHABET.charAt((int) (rem % 62));
        rem /= 62;
      }
    }
    while (first < v.length && v[first] == 0) {
      first++;
    }
    if (first < v.length) {
      throw new IllegalArgumentException("value does not fit in " + width + " base62 digits");
    }
    return new String(out);
  }

  private static final long[] POW62 = {
    1, 62, 62 * 62, 62 * 62 * 62, 62L * 62 * 62 * 62, 62L * 62 * 62 * 62 * 62
  };

  /** Decodes to exactly {@code bytes} big-endian bytes. */
  public static byte[] decode(String s, int bytes) {
    byte[] out = new byte[bytes];
    for (int i = 0; i < s.length(); i++) {
      int d = digit(s.charAt(i));
      if (d < 0) {
        throw new IllegalArgumentException("invalid base62 character '" + s.charAt(i) + "'");
      }
      int carry = d;
      for (int j = bytes - 1; j >= 0; j--) {
        int cur = (out[j] & 0xff) * 62 + carry;
        out[j] = (byte) cur;
        carry = cur >>> 8;
      }
      if (carry != 0) {
        throw new IllegalArgumentException("base62 value out of range");
      }
    }
    return out;
  }

  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'Z') {
      return c - 'A' + 36;
    }
    return -1;
  }

  static byte[] reversed(byte[] in) {
    byte[] out = new byte[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = in[in.length - 1 - i];
    }
    return out;
  }
}
