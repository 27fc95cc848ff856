package dev.resolute.sdk.auth.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.protocol.id.Base58;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestateRequestIdentityVerifierTest {
  static final long NOW = 1_795_304_441L;
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

  static KeyPair keyPair() throws Exception {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String jwt(PrivateKey key, String alg, String claims) throws Exception {
    String signingInput = b64("{\"typ\":\"JWT\",\"alg\":\"" + alg + "\"}") + "." + b64(claims);
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(key);
    s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
  }

  static String claims(String aud, long iat) {
    return "{\"aud\":\""
        + aud
        + "\",\"exp\":"
        + (iat + 60)
        + ",\"iat\":"
        + iat
        + ",\"nbf\":"
        + (iat - 60)
        + "}";
  }

  static Map<String, String> headers(String scheme, String jwt) {
    Map<String, String> h = new HashMap<>();
    if (scheme != null) {
      h.put("x-restate-signature-scheme", scheme);
    }
    if (jwt != null) {
      h.put("x-restate-jwt-v1", jwt);
    }
    return h;
  }

  @Test
  void base58RoundTripsIncludingLeadingZeros() {
    byte[] data = {0, 0, 1, 2, (byte) 0xff, 42};
    assertThat(Base58.decode(Base58.encode(data))).isEqualTo(data);
    assertThat(Base58.encode(new byte[] {0, 0})).isEqualTo("11");
    // Bitcoin test vector
    assertThat(Base58.encode("hello world".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("StV1DL6CwTryKyV");
    assertThatThrownBy(() -> Base58.decode("0OIl")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsAValidTokenForTheInvokePathBehindAPrefix() throws Exception {
    KeyPair kp = keyPair();
    RestateRequestIdentityVerifier v =
        RestateRequestIdentityVerifier.fromKeys(
            CLOCK,
            RestateRequestIdentityVerifier.keyId(keyPair().getPublic()),
            RestateRequestIdentityVerifier.keyId(kp.getPublic()));
    String token = jwt(kp.getPrivate(), "EdDSA", claims("/invoke/Counter/add", NOW));
    assertThatCode(
            () -> v.verifyRequest(headers("v1", token)::get, "/some/prefix/invoke/Counter/add"))
        .doesNotThrowAnyException();
    String discover = jwt(kp.getPrivate(), "EdDSA", claims("/discover", NOW));
    assertThatCode(() -> v.verifyRequest(headers("v1", discover)::get, "/discover"))
        .doesNotThrowAnyException();
  }

  @Test
  void rejectsUnsignedWrongKeyWrongAudienceExpiredAndGarbage() throws Exception {
    KeyPair kp = keyPair();
    RestateRequestIdentityVerifier v =
        RestateRequestIdentityVerifier.fromKeys(
            CLOCK, RestateRequestIdentityVerifier.keyId(kp.getPublic()));
    String path = "/invoke/Counter/add";
    assertThatThrownBy(() -> v.verifyRequest(headers(null, null)::get, path))
        .hasMessageContaining("unsigned");
    assertThatThrownBy(() -> v.verifyRequest(headers("unsigned", null)::get, path))
        .hasMessageContaining("unsigned");
    assertThatThrownBy(() -> v.verifyRequest(headers("v1", null)::get, path))
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> v.verifyRequest(headers("v1", "a.b")::get, path))
        .hasMessageContaining("malformed");
    String other = jwt(keyPair().getPrivate(), "EdDSA", claims(path, NOW));
    assertThatThrownBy(() -> v.verifyRequest(headers("v1", other)::get, path))
        .hasMessageContaining("does not match any");
    String wrongAud = jwt(kp.getPrivate(), "EdDSA", claims("/invoke/Counter/get", NOW));
    assertThatThrownBy(() -> v.verifyRequest(headers("v1", wrongAud)::get, path))
        .hasMessageContaining("audience");
    String expired = jwt(kp.getPrivate(), "EdDSA", claims(path, NOW - 61));
    assertThatThrownBy(() -> v.verifyRequest(headers("v1", expired)::get, path))
        .hasMessageContaining("expired");
    String future = jwt(kp.getPrivate(), "EdDSA", claims(path, NOW + 61));
    assertThatThrownBy(() -> v.verifyRequest(headers("v1", future)::get, path))
        .hasMessageContaining("not valid yet");
    String noIat =
        jwt(
            kp.getPrivate(),
            "EdDSA",
            "{\"aud\":\"" + path + "\",\"exp\":" + (NOW + 5) + ",\"nbf\":" + NOW + "}");
    assertThatThrownBy(() -> v.verifyRequest(headers("v1", noIat)::get, path))
        .hasMessageContaining("'iat'");
    String hs = jwt(kp.getPrivate(), "HS256", claims(path, NOW));
    assertThatThrownBy(() -> v.verifyRequest(headers("v1", hs)::get, path))
        .hasMessageContaining("alg");
  }

  @Test
  void rejectsMalformedKeys() {
    assertThatThrownBy(() -> RestateRequestIdentityVerifier.fromKeys("abc"))
        .hasMessageContaining("publickeyv1_");
    assertThatThrownBy(() -> RestateRequestIdentityVerifier.fromKeys("publickeyv1_0OIl"))
        .hasMessageContaining("base58");
    assertThatThrownBy(() -> RestateRequestIdentityVerifier.fromKeys("publickeyv1_abc"))
        .hasMessageContaining("32 bytes");
  }
}
