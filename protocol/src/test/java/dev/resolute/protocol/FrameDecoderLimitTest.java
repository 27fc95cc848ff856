package dev.resolute.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderLimitTest {
  private static byte[] header(int type, long length) {
    byte[] h = new byte[8];
    long v = ((long) type << 48) | (length & 0xFFFFFFFFL);
    for (int i = 0; i < 8; i++) {
      h[i] = (byte) (v >>> (56 - 8 * i));
    }
    return h;
  }

  @Test
  void aDeclaredLengthOverTheLimitFailsAsSoonAsTheHeaderIsComplete() {
    FrameDecoder d = new FrameDecoder(1024);
    List<Frame> out = new ArrayList<>();
    byte[] h = header(0x0400, 0xFFFF_FFF0L);
    assertThatCode(() -> d.feed(h, 0, 5, out::add)); // part of the header: nothing to check yet
    assertThatThrownBy(() -> d.feed(h, 5, 3, out::add))
        .isInstanceOfSatisfying(
            MessageTooLargeException.class,
            e -> {
              assertThat(e.size()).isEqualTo(0xFFFF_FFF0L);
              assertThat(e.limit()).isEqualTo(1024);
            })
        .hasMessage("message of 4294967280 bytes exceeds the limit of 1024");
    assertThat(out).isEmpty();
  }

  @Test
  void aMessageOfExactlyTheLimitPasses() throws Exception {
    FrameDecoder d = new FrameDecoder(16);
    List<Frame> out = new ArrayList<>();
    d.feed(header(0x0400, 16), 0, 8, out::add);
    d.feed(new byte[16], 0, 16, out::add);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).payload()).hasSize(16);
    assertThatThrownBy(() -> d.feed(header(0x0400, 17), 0, 8, out::add))
        .isInstanceOf(MessageTooLargeException.class);
  }

  private static void assertThatCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
    org.assertj.core.api.Assertions.assertThatCode(c).doesNotThrowAnyException();
  }
}
