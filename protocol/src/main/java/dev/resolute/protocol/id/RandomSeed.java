package dev.resolute.protocol.id;

/**
 * The default {@code StartMessage.random_seed}: SipHash-1-3 with keys (0, 0) over u64le(24) ‖ raw
 * 24-byte invocation id (Rust's DefaultHasher of a [u8; 24]).
 */
public final class RandomSeed {
  private RandomSeed() {}

  public static long of(InvocationId id) {
    byte[] raw = id.toBytes();
    byte[] msg = new byte[8 + raw.length];
    msg[0] = (byte) raw.length;
    System.arraycopy(raw, 0, msg, 8, raw.length);
    return sipHash13(0, 0, msg);
  }

  static long sipHash13(long k0, long k1, byte[] m) {
    long v0 = k0 ^ 0x736f6d6570736575L;
    long v1 = k1 ^ 0x646f72616e646f6dL;
    long v2 = k0 ^ 0x6c7967656e657261L;
    long v3 = k1 ^ 0x7465646279746573L;
    int len = m.length;
    int end = len - (len % 8);
    for (int i = 0; i < end; i += 8) {
      long mi = le64(m, i);
      v3 ^= mi;
      // one compression round
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13);
      v1 ^= v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16);
      v3 ^= v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21);
      v3 ^= v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17);
      v1 ^= v2;
      v2 = Long.rotateLeft(v2, 32);
      v0 ^= mi;
    }
    long b = ((long) len) << 56;
    for (int i = 0; i < len % 8; i++) {
      b |= (m[end + i] & 0xFFL) << (8 * i);
    }
    v3 ^= b;
    v0 += v1;
    v1 = Long.rotateLeft(v1, 13);
    v1 ^= v0;
    v0 = Long.rotateLeft(v0, 32);
    v2 += v3;
    v3 = Long.rotateLeft(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = Long.rotateLeft(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = Long.rotateLeft(v1, 17);
    v1 ^= v2;
    v2 = Long.rotateLeft(v2, 32);
    v0 ^= b;
    v2 ^= 0xff;
    for (int r = 0; r < 3; r++) {
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13);
      v1 ^= v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16);
      v3 ^= v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21);
      v3 ^= v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17);
      v1 ^= v2;
      v2 = Long.rotateLeft(v2, 32);
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }

  private static long le64(byte[] m, int i) {
    long r = 0;
    for (int j = 7; j >= 0; j--) {
      r = (r << 8) | (m[i + j] & 0xFFL);
    }
    return r;
  }
}
