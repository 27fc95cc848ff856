package dev.resolute.server.admin;

import dev.resolute.protocol.id.PrefixedId;
import java.util.Optional;
import java.util.Set;

/** Deployment ids ({@code dp_1…}) checked as restate-server 1.7.12's id parser checks them. */
final class DeploymentIds {
  private static final Set<String> RESOURCE_TYPES = Set.of("inv", "dp", "sub", "sign", "prom");
  private static final int BODY = 22;

  private DeploymentIds() {}

  /**
   * restate-server's reason why {@code s} is not a deployment id ({@code bad length}, {@code bad
   * format}, {@code unrecognized resource type: x}, {@code unrecognized codec version}, {@code id
   * doesn't match the expected type}, {@code base62 decode error}), in its order of checks; empty
   * for a well-formed id.
   */
  static Optional<String> invalidReason(String s) {
    if (s.isEmpty()) {
      return Optional.of("bad length");
    }
    int sep = s.indexOf('_');
    if (sep < 0) {
      return Optional.of("bad format");
    }
    String type = s.substring(0, sep);
    if (!RESOURCE_TYPES.contains(type)) {
      return Optional.of("unrecognized resource type: " + type);
    }
    String rest = s.substring(sep + 1);
    if (rest.isEmpty()) {
      return Optional.of("bad length");
    }
    if (rest.charAt(0) != '1') {
      return Optional.of("unrecognized codec version");
    }
    if (!type.equals("dp")) {
      return Optional.of("id doesn't match the expected type");
    }
    if (rest.length() - 1 != BODY) {
      return Optional.of("bad length");
    }
    try {
      PrefixedId.parse("dp", s);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of("base62 decode error");
    }
  }
}
