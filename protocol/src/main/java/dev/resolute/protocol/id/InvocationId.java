package dev.resolute.protocol.id;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An invocation id: partition key (u64) and a 128-bit uuid. Raw form is 24 bytes (both big-endian);
 * the string form is {@code inv_1} + base62(pk, 11) + base62(uuid, 22) where each part is the
 * little-endian reading of its big-endian bytes (PROTOCOL.md §6.1).
 */
public final class InvocationId implements Comparable<InvocationId> {
  public static final int RAW_SIZE = 24;
  private static final String PREFIX = "inv_1";

  private final long partitionKey;
  private final byte[] uuid; // 16 bytes, big-endian
  private String
      text; // the string form, computed once (benign race: every thread computes the same)

  public InvocationId(long partitionKey, byte[] uuid) {
    if (uuid.length != 16) {
      throw new IllegalArgumentException("uuid must be 16 bytes");
    }
    this.partitionKey = partitionKey;
    this.uuid = uuid.clone();
  }

  public long partitionKey() {
    return partitionKey;
  }

  public byte[] uuid() {
    return uuid.clone();
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(RAW_SIZE).putLong(partitionKey).put(uuid).array();
  }

  public static InvocationId fromBytes(byte[] raw) {
    if (raw.length != RAW_SIZE) {
      throw new IllegalArgumentException("an invocation id has 24 bytes, got " + raw.length);
    }
    ByteBuffer b = ByteBuffer.wrap(raw);
    long pk = b.getLong();
    byte[] u = new byte[16];
    b.get(u);
    return new InvocationId(pk, u);
  }

  @Override
  public String toString() {
    String t = text;
    if (t == null) {
      t = format();
      text = t;
    }
    return t;
  }

  private String format() {
    byte[] pk = ByteBuffer.allocate(8).putLong(partitionKey).array();
    return PREFIX
        + Base62.encode(Base62.reversed(pk), 11)
        + Base62.encode(Base62.reversed(uuid), 22);
  }

  /**
   * Parses {@code inv_1…}.
   *
   * @throws IllegalArgumentException with a message naming what is wrong
   */
  public static InvocationId parse(String s) {
    if (s == null || !s.startsWith("inv_")) {
      throw new IllegalArgumentException("invocation id must start with 'inv_'");
    }
    if (s.length() < 5 || s.charAt(4) != '1') {
      throw new IllegalArgumentException("unsupported invocation id version");
    }
    if (s.length() != 38) {
      throw new IllegalArgumentException(
          "bad invocation id length " + s.length() + ", expected 38");
    }
    byte[] pk = Base62.reversed(Base62.decode(s.substring(5, 16), 8));
    byte[] uuid = Base62.reversed(Base62.decode(s.substring(16), 16));
    return new InvocationId(ByteBuffer.wrap(pk).getLong(), uuid);
  }

  /** Resource types restate-server 1.7.12 recognises before the {@code _} of an id. */
  private static final java.util.Set<String> RESOURCE_TYPES =
      java.util.Set.of("inv", "dp", "sub", "prom", "sign", "snap", "mut", "vq");

  /**
   * Why {@code s} is not an invocation id, in the words restate-server uses ({@code bad length},
   * {@code bad format}, {@code unrecognized resource type: x}, {@code unrecognized codec version},
   * {@code id doesn't match the expected type}, {@code base62 decode error}), checked in its order:
   * resource type, version, type, then the fixed-width fields left to right and no characters after
   * them. Empty when {@code s} is a valid id.
   */
  public static java.util.Optional<String> invalidReason(String s) {
    if (s.isEmpty()) {
      return java.util.Optional.of("bad length");
    }
    int sep = s.indexOf('_');
    if (sep < 0) {
      return java.util.Optional.of("bad format");
    }
    String type = s.substring(0, sep);
    if (!RESOURCE_TYPES.contains(type)) {
      return java.util.Optional.of("unrecognized resource type: " + type);
    }
    String rest = s.substring(sep + 1);
    if (rest.isEmpty() || rest.charAt(0) > 0x7f) {
      return java.util.Optional.of("bad length");
    }
    if (rest.charAt(0) != '1') {
      return java.util.Optional.of("unrecognized codec version");
    }
    if (!type.equals("inv")) {
      return java.util.Optional.of("id doesn't match the expected type");
    }
    String body = rest.substring(1);
    int[][] fields = {{0, 11, 8}, {11, 33, 16}};
    for (int[] f : fields) {
      if (body.length() < f[1]) {
        return java.util.Optional.of("bad length");
      }
      try {
        Base62.decode(body.substring(f[0], f[1]), f[2]);
      } catch (IllegalArgumentException e) {
        return java.util.Optional.of("base62 decode error");
      }
    }
    return body.length() > 33 ? java.util.Optional.of("bad length") : java.util.Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InvocationId other
        && other.partitionKey == partitionKey
        && Arrays.equals(other.uuid, uuid);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(partitionKey) * 31 + Arrays.hashCode(uuid);
  }

  @Override
  public int compareTo(InvocationId o) {
    int c = Long.compareUnsigned(partitionKey, o.partitionKey);
    return c != 0 ? c : Arrays.compareUnsigned(uuid, o.uuid);
  }
}
