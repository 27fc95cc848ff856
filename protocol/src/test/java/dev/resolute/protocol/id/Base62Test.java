package dev.resolute.protocol.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base62Test {
  /** The obvious BigInteger encoding, as the oracle for the in-place division. */
  private static String reference(byte[] bigEndian, int width) {
    BigInteger v = new BigInteger(1, bigEndian);
    char[] out = new char[width];
    for (int i = width - 1; i >= 0; i--) {
      BigInteger[] qr = v.divideAndRemainder(BigInteger.valueOf(62));
      out[i] = Base62.ALPHABET.charAt(qr[1].intValue());
      v = qr[0];
    }
    return new String(out);
  }

  @Test
  void encodeAndDecodeMatchBigIntegerArithmeticOnRandomAndEdgeValues() {
    Random r = new Random(42);
    for (int n = 0; n < 5000; n++) {
      int size = n % 2 == 0 ? 16 : 8;
      int width = size == 16 ? 22 : 11;
      byte[] b = new byte[size];
      r.nextBytes(b);
      if (n % 7 == 0) {
        java.util.Arrays.fill(b, 0, r.nextInt(size), (byte) 0); // leading zeros
      }
      String s = Base62.encode(b, width);
      assertThat(s).isEqualTo(reference(b, width));
      assertThat(Base62.decode(s, size)).containsExactly(b);
    }
    byte[] max = new byte[16];
    java.util.Arrays.fill(max, (byte) 0xff);
    assertThat(Base62.encode(max, 22)).isEqualTo(reference(max, 22));
    assertThat(Base62.encode(new byte[16], 22)).isEqualTo("0".repeat(22));
  }

  @Test
  void rejectsValuesThatDoNotFitAndBadCharacters() {
    byte[] max = new byte[16];
    java.util.Arrays.fill(max, (byte) 0xff);
    assertThatThrownBy(() -> Base62.encode(max, 21)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Base62.decode("ZZZZZZZZZZZ", 8))
        .hasMessage("base62 value out of range");
    assertThatThrownBy(() -> Base62.decode("abc-", 8)).hasMessage("invalid base62 character '-'");
  }
}
