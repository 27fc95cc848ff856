package dev.resolute.protocol.id;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Awakeable ids. V5+: {@code sign_1} + base64url(raw invocation id ‖ u32 BE signal index). Legacy:
 * {@code prom_1} + base64url(raw invocation id ‖ u32 BE entry index). Padding is optional on input
 * and never written.
 */
public record AwakeableId(Kind kind, InvocationId invocationId, int index) {
  public enum Kind {
    SIGNAL,
    LEGACY_PROMISE
  }

  public static AwakeableId signal(InvocationId id, int signalIndex) {
    return new AwakeableId(Kind.SIGNAL, id, signalIndex);
  }

  @Override
  public String toString() {
    byte[] raw = ByteBuffer.allocate(28).put(invocationId.toBytes()).putInt(index).array();
    String prefix = kind == Kind.SIGNAL ? "sign_1" : "prom_1";
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /**
   * @throws IllegalArgumentException when the id is malformed
   */
  public static AwakeableId parse(String s) {
    Kind kind;
    if (s.startsWith("sign_1")) {
      kind = Kind.SIGNAL;
    } else if (s.startsWith("prom_1")) {
      kind = Kind.LEGACY_PROMISE;
    } else {
      throw new IllegalArgumentException("awakeable id must start with 'sign_1' or 'prom_1'");
    }
    String payload = s.substring(6);
    while (payload.endsWith("=")) {
      payload = payload.substring(0, payload.length() - 1);
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(payload);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("awakeable id is not valid base64url");
    }
    if (raw.length != 28) {
      throw new IllegalArgumentException(
          "awakeable id has a payload of " + raw.length + " bytes, expected 28");
    }
    ByteBuffer b = ByteBuffer.wrap(raw);
    byte[] inv = new byte[24];
    b.get(inv);
    return new AwakeableId(kind, InvocationId.fromBytes(inv), b.getInt());
  }
}
