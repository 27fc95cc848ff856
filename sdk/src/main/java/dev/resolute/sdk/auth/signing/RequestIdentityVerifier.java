package dev.resolute.sdk.auth.signing;

import java.util.function.Function;

/**
 * Checks that a request to the endpoint comes from a trusted Restate-compatible server. Bound with
 * {@code Endpoint.builder().withRequestIdentityVerifier(...)}; the endpoint answers 401 when {@link
 * #verifyRequest} throws. {@code /health} is never checked.
 */
@FunctionalInterface
public interface RequestIdentityVerifier {
  /**
   * @param headers header lookup by lower-case name (null when absent)
   * @param path the request path as received (a deployment prefix before {@code /invoke/} or {@code
   *     /discover} is ignored)
   * @throws RequestIdentityException when the request is not signed by a trusted key
   */
  void verifyRequest(Function<String, String> headers, String path);

  /** Accepts every request (the default when no verifier is bound). */
  static RequestIdentityVerifier noop() {
    return (headers, path) -> {};
  }
}
