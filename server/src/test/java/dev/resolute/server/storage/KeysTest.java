package dev.resolute.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The key layout is the store's on-disk format: every encoding is pinned byte for byte. */
class KeysTest {
  private static byte[] expected(int partition, byte table, Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(partition >>> 8);
    out.write(partition);
    out.write(table);
    for (Object p : parts) {
      if (p instanceof String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
        out.writeBytes(b);
      } else if (p instanceof Long l) {
        out.writeBytes(ByteBuffer.allocate(8).putLong(l).array());
      } else if (p instanceof byte[] b) {
        out.writeBytes(b);
      }
    }
    return out.toByteArray();
  }

  @Test
  void stringsAreLengthPrefixedUtf8AsciiOrNot() {
    for (String s : new String[] {"", "Counter", "key-1", "ключ", "emoji \uD83D\uDE00", "é"}) {
      assertThat(Keys.of(300, Keys.STATE).str(s).build())
          .as(s)
          .isEqualTo(expected(300, Keys.STATE, s));
    }
  }

  @Test
  void numbersAreBigEndianAndLongKeysGrow() {
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      big.append("0123456789");
    }
    byte[] raw = {1, 2, (byte) 0xFF};
    assertThat(
            Keys.of(65535, Keys.INBOX)
                .str("svc")
                .str(big.toString())
                .u64(-2L)
                .u64(0x0102030405060708L)
                .bytes(raw)
                .build())
        .isEqualTo(
            expected(65535, Keys.INBOX, "svc", big.toString(), -2L, 0x0102030405060708L, raw));
    assertThat(Keys.of(1, Keys.META).u32(0x80000001).build())
        .containsExactly(0, 1, Keys.META, 0x80, 0, 0, 1);
    assertThat(Keys.of(1, Keys.META).lenBytes(raw).build())
        .containsExactly(0, 1, Keys.META, 0, 0, 0, 3, 1, 2, 0xFF);
  }
}
