package dev.resolute.protocol.identity;

import dev.resolute.protocol.id.Base58;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;

/**
 * Request identity, scheme v1 (PROTOCOL.md §2.6), as both sides see it: the header names, key ids
 * {@code publickeyv1_<base58 of the raw 32-byte Ed25519 public key>}, and the JWT audience (the
 * request path from {@code /invoke/} or {@code /discover} on, without a deployment prefix).
 */
public final class RequestIdentity {
  public static final String SCHEME_HEADER = "x-restate-signature-scheme";
  public static final String JWT_HEADER = "x-restate-jwt-v1";
  public static final String SCHEME_V1 = "v1";
  public static final String KEY_PREFIX = "publickeyv1_";

  /**
   * DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (OID 1.3.101.112) with a 32-byte key.
   */
  private static final byte[] ED25519_SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private RequestIdentity() {}

  /** The key id of an Ed25519 public key (the form restate-server logs at start). */
  public static String keyId(PublicKey key) {
    byte[] enc = key.getEncoded();
    byte[] raw = new byte[32];
    System.arraycopy(enc, enc.length - 32, raw, 0, 32);
    return KEY_PREFIX + Base58.encode(raw);
  }

  /** Parses a key id. @throws IllegalArgumentException naming what is wrong with it */
  public static PublicKey publicKey(String keyId) {
    if (keyId == null || !keyId.startsWith(KEY_PREFIX)) {
      throw new IllegalArgumentException(
          "request identity key must start with '" + KEY_PREFIX + "': " + keyId);
    }
    byte[] raw;
    try {
      raw = Base58.decode(keyId.substring(KEY_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("request identity key is not base58: " + keyId, e);
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException(
          "request identity key must be 32 bytes, got " + raw.length + ": " + keyId);
    }
    byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
    System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
    System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, 32);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("invalid Ed25519 key " + keyId, e);
    }
  }

  /**
   * The JWT {@code aud} for a request path: from {@code /invoke/} or {@code /discover} on, without
   * query.
   */
  public static String audience(String path) {
    int q = path.indexOf('?');
    String p = q >= 0 ? path.substring(0, q) : path;
    int i = p.indexOf("/invoke/");
    if (i >= 0) {
      return p.substring(i);
    }
    i = p.lastIndexOf("/discover");
    return i >= 0 ? p.substring(i) : p;
  }
}
