package dev.resolute.protocol.id;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import net.openhft.hashing.LongHashFunction;

/**
 * Partition-key hashing (PROTOCOL.md §6.2): XXH3-64 with seed 0 over Rust's {@code Hash} encoding
 * (a string is its UTF-8 bytes followed by 0xFF; a u64 is 8 little-endian bytes).
 */
public final class PartitionKeys {
  public static final int UNKEYED_BUCKETS = 512;
  private static final LongHashFunction XXH3 = LongHashFunction.xx3();

  private PartitionKeys() {}

  /** Virtual object / workflow key, any handler. */
  public static long keyed(String key) {
    return XXH3.hashBytes(str(key));
  }

  /** Unkeyed target with an idempotency key (controlled idempotent sharding). */
  public static long idempotent(String service, String idempotencyKey) {
    long h = XXH3.hashBytes(str(idempotencyKey));
    return bucket(service, Long.remainderUnsigned(h, UNKEYED_BUCKETS));
  }

  /** Unkeyed target, bucket chosen at random in [0, 512). */
  public static long bucket(String service, long bucket) {
    byte[] s = str(service);
    byte[] scope = str("unscoped/service");
    ByteBuffer b = ByteBuffer.allocate(s.length + scope.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put(s).put(scope).putLong(bucket);
    return XXH3.hashBytes(b.array());
  }

  private static byte[] str(String s) {
    byte[] u = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[u.length + 1];
    System.arraycopy(u, 0, out, 0, u.length);
    out[u.length] = (byte) 0xFF;
    return out;
  }
}
