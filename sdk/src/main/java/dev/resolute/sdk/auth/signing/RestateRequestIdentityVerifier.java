package dev.resolute.sdk.auth.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.protocol.identity.RequestIdentity;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Verifies Restate's request identity (scheme {@code v1}): the server signs every discovery and
 * invocation request with an Ed25519 JWT in {@code x-restate-jwt-v1}; this verifier accepts it when
 * the signature matches one of the configured {@code publickeyv1_<base58>} keys, the claims {@code
 * aud, exp, iat, nbf} are present, the token is valid now (no leeway) and {@code aud} equals the
 * request path from {@code /invoke/} or {@code /discover} on.
 *
 * <pre>{@code
 * Endpoint.bind(new Greeter())
 *     .withRequestIdentityVerifier(RestateRequestIdentityVerifier.fromKeys("publickeyv1_..."))
 * }</pre>
 */
public final class RestateRequestIdentityVerifier implements RequestIdentityVerifier {
  public static final String SCHEME_HEADER = RequestIdentity.SCHEME_HEADER;
  public static final String JWT_HEADER = RequestIdentity.JWT_HEADER;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<PublicKey> keys;
  private final Clock clock;

  private RestateRequestIdentityVerifier(List<PublicKey> keys, Clock clock) {
    this.keys = List.copyOf(keys);
    this.clock = clock;
  }

  /**
   * @param keys one or more {@code publickeyv1_<base58 of the raw 32-byte Ed25519 public key>}
   * @throws IllegalArgumentException on a malformed key
   */
  public static RestateRequestIdentityVerifier fromKeys(String... keys) {
    return fromKeys(Clock.systemUTC(), keys);
  }

  /** As {@link #fromKeys(String...)} with the clock that decides token validity (tests). */
  public static RestateRequestIdentityVerifier fromKeys(Clock clock, String... keys) {
    if (keys.length == 0) {
      throw new IllegalArgumentException("at least one key is required");
    }
    List<PublicKey> parsed = new ArrayList<>();
    for (String k : keys) {
      parsed.add(RequestIdentity.publicKey(k));
    }
    return new RestateRequestIdentityVerifier(parsed, clock);
  }

  /** The {@code publickeyv1_} id of an Ed25519 public key (the form restate-server logs). */
  public static String keyId(PublicKey key) {
    return RequestIdentity.keyId(key);
  }

  @Override
  public void verifyRequest(Function<String, String> headers, String path) {
    String scheme = headers.apply(SCHEME_HEADER);
    if (scheme == null || scheme.equals("unsigned")) {
      throw new RequestIdentityException(
          "request is unsigned, but this endpoint requires a signature (scheme v1)");
    }
    if (!scheme.equals("v1")) {
      throw new RequestIdentityException("unknown signature scheme '" + scheme + "'");
    }
    String jwt = headers.apply(JWT_HEADER);
    if (jwt == null || jwt.isEmpty()) {
      throw new RequestIdentityException("missing header " + JWT_HEADER);
    }
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3) {
      throw new RequestIdentityException("malformed JWT: expected 3 parts, got " + parts.length);
    }
    JsonNode header = decodeJson(parts[0], "header");
    if (!"EdDSA".equals(header.path("alg").asText())) {
      throw new RequestIdentityException(
          "unsupported JWT alg '" + header.path("alg").asText() + "'");
    }
    byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    byte[] sig;
    try {
      sig = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new RequestIdentityException("malformed JWT signature", e);
    }
    if (!signedByAnyKey(signed, sig)) {
      throw new RequestIdentityException("JWT signature does not match any configured key");
    }
    JsonNode claims = decodeJson(parts[1], "claims");
    for (String c : new String[] {"aud", "exp", "iat", "nbf"}) {
      if (!claims.hasNonNull(c)) {
        throw new RequestIdentityException("JWT lacks the required claim '" + c + "'");
      }
    }
    long now = clock.millis() / 1000;
    if (now >= claims.get("exp").asLong()) {
      throw new RequestIdentityException("JWT expired");
    }
    if (now < claims.get("nbf").asLong()) {
      throw new RequestIdentityException("JWT not valid yet");
    }
    String expectedAud = RequestIdentity.audience(path);
    if (!audienceMatches(claims.get("aud"), expectedAud)) {
      throw new RequestIdentityException(
          "JWT audience " + claims.get("aud") + " does not match " + expectedAud);
    }
  }

  private boolean signedByAnyKey(byte[] data, byte[] sig) {
    for (PublicKey k : keys) {
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(k);
        s.update(data);
        if (s.verify(sig)) {
          return true;
        }
      } catch (GeneralSecurityException e) {
        // a signature of the wrong shape does not verify under this key; try the next
      }
    }
    return false;
  }

  private static boolean audienceMatches(JsonNode aud, String expected) {
    if (aud.isArray()) {
      for (JsonNode a : aud) {
        if (expected.equals(a.asText())) {
          return true;
        }
      }
      return false;
    }
    return expected.equals(aud.asText());
  }

  private static JsonNode decodeJson(String part, String what) {
    try {
      JsonNode n = JSON.readTree(Base64.getUrlDecoder().decode(part));
      if (n == null || !n.isObject()) {
        throw new RequestIdentityException("malformed JWT " + what);
      }
      return n;
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new RequestIdentityException("malformed JWT " + what, e);
    }
  }
}
