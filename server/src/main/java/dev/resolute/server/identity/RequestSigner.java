package dev.resolute.server.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.protocol.identity.RequestIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Signs requests to deployments (discovery and invocations) with the node's Ed25519
 * request-identity key, as restate-server does when {@code [worker.invoker]
 * request-identity-private-key-pem-file} is set: headers {@code x-restate-signature-scheme: v1} and
 * {@code x-restate-jwt-v1} carrying a JWT with header {@code
 * {"typ":"JWT","alg":"EdDSA","kid":"publickeyv1_<base58>"}} and claims {@code aud} (path from
 * {@code /invoke/} or {@code /discover}), {@code iat}, {@code nbf = iat - leeway}, {@code exp = iat
 * + leeway}, and {@code sub} (the key) for keyed targets. Thread-safe.
 */
public final class RequestSigner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrivateKey key;
  private final String keyId;
  private final String encodedHeader;
  private final long leewaySeconds;
  private final Clock clock;

  private RequestSigner(PrivateKey key, String keyId, Duration leeway, Clock clock) {
    this.key = key;
    this.keyId = keyId;
    this.leewaySeconds = leeway.toSeconds();
    this.clock = clock;
    this.encodedHeader = b64("{\"typ\":\"JWT\",\"alg\":\"EdDSA\",\"kid\":\"" + keyId + "\"}");
  }

  /**
   * Loads a PEM file holding one PKCS#8 Ed25519 private key (as {@code openssl genpkey -algorithm
   * ed25519} writes).
   *
   * @throws IllegalArgumentException when the file is missing or holds no Ed25519 private key
   */
  public static RequestSigner fromPemFile(Path pem, Duration leeway, Clock clock) {
    String text;
    try {
      text = Files.readString(pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read request identity key file " + pem + ": " + e.getMessage(), e);
    }
    return fromPem(text, leeway, clock);
  }

  public static RequestSigner fromPem(String pem, Duration leeway, Clock clock) {
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          "request identity key file holds no 'PRIVATE KEY' PEM block");
    }
    String body =
        pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
    try {
      PrivateKey k =
          KeyFactory.getInstance("Ed25519")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
      return new RequestSigner(
          k, RequestIdentity.keyId(publicKeyOf((EdECPrivateKey) k)), leeway, clock);
    } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException(
          "request identity key is not a PKCS#8 Ed25519 private key: " + e.getMessage(), e);
    }
  }

  /** {@code publickeyv1_<base58 of the raw public key>}, the id restate-server logs at start. */
  public String keyId() {
    return keyId;
  }

  /**
   * The headers to add to a request for {@code path}; {@code serviceKey} null for unkeyed targets.
   */
  public List<Map.Entry<String, String>> headers(String path, String serviceKey) {
    long iat = clock.millis() / 1000;
    ObjectNode claims =
        JSON.createObjectNode()
            .put("aud", RequestIdentity.audience(path))
            .put("exp", iat + leewaySeconds)
            .put("iat", iat)
            .put("nbf", iat - leewaySeconds);
    if (serviceKey != null) {
      claims.put("sub", serviceKey);
    }
    String input = encodedHeader + "." + b64(claims.toString());
    byte[] sig;
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      sig = s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
    List<Map.Entry<String, String>> h = new ArrayList<>(2);
    h.add(Map.entry(RequestIdentity.SCHEME_HEADER, RequestIdentity.SCHEME_V1));
    h.add(
        Map.entry(
            RequestIdentity.JWT_HEADER,
            input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig)));
    return h;
  }

  /**
   * Derives the public key by regenerating the pair from the private seed (the JDK has no direct
   * API).
   */
  private static PublicKey publicKeyOf(EdECPrivateKey k) throws GeneralSecurityException {
    byte[] seed =
        k.getBytes()
            .orElseThrow(() -> new GeneralSecurityException("private key has no seed bytes"));
    KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
    g.initialize(
        NamedParameterSpec.ED25519,
        new SecureRandom() {
          @Override
          public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
          }
        });
    return g.generateKeyPair().getPublic();
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
