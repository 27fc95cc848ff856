package dev.resolute.server.sql;

import dev.resolute.protocol.id.InvocationId;
import java.math.BigInteger;

/**
 * The idempotency key restate-server 1.7.12 shows for an ingress invocation that was sent without
 * one: a ULID (26 Crockford base-32 characters, 48 bits of milliseconds then 80 random bits).
 * Resolute keeps no such key; it derives one from what it stores — the creation time and the
 * invocation id's last 10 bytes (random) — so the same invocation always shows the same key. It is
 * shown only and deduplicates nothing.
 */
final class RequestUlid {
  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private RequestUlid() {}

  static String of(InvocationId id, long createdAtMillis) {
    byte[] raw = id.toBytes();
    byte[] ulid = new byte[16];
    long ms = createdAtMillis & 0xFFFF_FFFF_FFFFL;
    for (int i = 0; i < 6; i++) {
      ulid[i] = (byte) (ms >>> (8 * (5 - i)));
    }
    System.arraycopy(raw, raw.length - 10, ulid, 6, 10);
    return encode(ulid);
  }

  /** 128 bits as 26 characters: 2 leading zero bits, then 5 bits per character, most first. */
  static String encode(byte[] sixteen) {
    char[] out = new char[26];
    BigInteger v = new BigInteger(1, sixteen);
    for (int i = 25; i >= 0; i--) {
      out[i] = CROCKFORD[v.intValue() & 31];
      v = v.shiftRight(5);
    }
    return new String(out);
  }
}
