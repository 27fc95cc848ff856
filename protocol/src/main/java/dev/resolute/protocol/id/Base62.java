package dev.resolute.protocol.id;

import java.math.BigInteger;

/** Fixed-width base62 (alphabet 0-9a-zA-Z), most significant digit first. */
public final class Base62 {
  static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final BigInteger B62 = BigInteger.valueOf(62);

  private Base62() {}

  /** Encodes the unsigned integer whose big-endian bytes are given, left-padded to width. */
  public static String encode(byte[] bigEndianUnsigned, int width) {
    BigInteger v = new BigInteger(1, bigEndianUnsigned);
    char[] out = new char[width];
    for (int i = width - 1; i >= 0; i--) {
      BigInteger[] qr = v.divideAndRemainder(B62);
      out[i] = ALPHABET.charAt(qr[1].intValue());
      v = qr[0];
    }
    if (v.signum() != 0) {
      throw new IllegalArgumentException("value does not fit in " + width + " base62 digits");
    }
    return new String(out);
  }

  /** Decodes to exactly {@code bytes} big-endian bytes. */
  public static byte[] decode(String s, int bytes) {
    BigInteger v = BigInteger.ZERO;
    for (int i = 0; i < s.length(); i++) {
      int d = ALPHABET.indexOf(s.charAt(i));
      if (d < 0) {
        throw new IllegalArgumentException("invalid base62 character '" + s.charAt(i) + "'");
      }
      v = v.multiply(B62).add(BigInteger.valueOf(d));
    }
    byte[] raw = v.toByteArray();
    if (raw.length > bytes + 1 || (raw.length == bytes + 1 && raw[0] != 0)) {
      throw new IllegalArgumentException("base62 value out of range");
    }
    byte[] out = new byte[bytes];
    int copy = Math.min(raw.length, bytes);
    System.arraycopy(raw, raw.length - copy, out, bytes - copy, copy);
    return out;
  }

  static byte[] reversed(byte[] in) {
    byte[] out = new byte[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = in[in.length - 1 - i];
    }
    return out;
  }
}
