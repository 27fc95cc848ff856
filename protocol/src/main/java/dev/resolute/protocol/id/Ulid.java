package dev.resolute.protocol.id;

import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;

/** ULIDs as 16 big-endian bytes: 48-bit millisecond timestamp then 80 random bits. */
public final class Ulid {
  private Ulid() {}

  public static byte[] generate(long epochMillis, RandomGenerator random) {
    ByteBuffer b = ByteBuffer.allocate(16);
    b.putShort((short) (epochMillis >>> 32));
    b.putInt((int) epochMillis);
    b.putShort((short) random.nextInt());
    b.putLong(random.nextLong());
    return b.array();
  }
}
