package dev.resolute.protocol.id;

import java.math.BigInteger;
import java.util.Arrays;

/** Bitcoin-alphabet base58, as used by Restate's {@code publickeyv1_} key ids. */
public final class Base58 {
  private static final String ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final BigInteger BASE = BigInteger.valueOf(58);

  private Base58() {}

  public static String encode(byte[] data) {
    BigInteger n = new BigInteger(1, data);
    StringBuilder sb = new StringBuilder();
    while (n.signum() > 0) {
      BigInteger[] qr = n.divideAndRemainder(BASE);
      sb.append(ALPHABET.charAt(qr[1].intValue()));
      n = qr[0];
    }
    for (int i = 0; i < data.length && data[i] == 0; i++) {
      sb.append('1');
    }
    return sb.reverse().toString();
  }

  /**
   * @throws IllegalArgumentException on a character outside the alphabet
   */
  public static byte[] decode(String s) {
    BigInteger n = BigInteger.ZERO;
    for (int i = 0; i < s.length(); i++) {
      int d = ALPHABET.indexOf(s.charAt(i));
      if (d < 0) {
        throw new IllegalArgumentException("invalid base58 character '" + s.charAt(i) + "'");
      }
      n = n.multiply(BASE).add(BigInteger.valueOf(d));
    }
    byte[] raw = n.signum() == 0 ? new byte[0] : n.toByteArray();
    if (raw.length > 1 && raw[0] == 0) {
      raw = Arrays.copyOfRange(raw, 1, raw.length);
    }
    int zeros = 0;
    while (zeros < s.length() && s.charAt(zeros) == '1') {
      zeros++;
    }
    byte[] out = new byte[zeros + raw.length];
    System.arraycopy(raw, 0, out, zeros, raw.length);
    return out;
  }
}
