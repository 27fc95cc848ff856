package dev.resolute.protocol;

/** Service protocol versions and their media types. */
public final class ProtocolVersion {
  public static final int MIN_SUPPORTED = 5;
  public static final int MAX_SUPPORTED = 6;

  /** restate-server 1.7 accepts endpoints whose range intersects [5, 7]. */
  public static final int MIN_DISCOVERABLE = 5;

  public static final int MAX_DISCOVERABLE = 7;

  public static final String DISCOVERY_ACCEPT =
      "application/vnd.restate.endpointmanifest.v1+json, application/vnd.restate.endpointmanifest.v2+json, "
          + "application/vnd.restate.endpointmanifest.v3+json, application/vnd.restate.endpointmanifest.v4+json";

  private ProtocolVersion() {}

  public static String invocationContentType(int version) {
    return "application/vnd.restate.invocation.v" + version;
  }

  /** Parses {@code application/vnd.restate.invocation.vN}; -1 if it is not such a media type. */
  public static int parseInvocationContentType(String contentType) {
    return versionOf(contentType, "application/vnd.restate.invocation.v", "");
  }

  public static String manifestContentType(int version) {
    return "application/vnd.restate.endpointmanifest.v" + version + "+json";
  }

  /** Parses {@code application/vnd.restate.endpointmanifest.vN+json}; -1 otherwise. */
  public static int parseManifestContentType(String contentType) {
    return versionOf(contentType, "application/vnd.restate.endpointmanifest.v", "+json");
  }

  /** N of a media type {@code prefix N suffix} (parameters after ';' ignored); -1 otherwise. */
  private static int versionOf(String contentType, String prefix, String suffix) {
    if (contentType == null) {
      return -1;
    }
    String ct = contentType.trim();
    int semi = ct.indexOf(';');
    if (semi >= 0) {
      ct = ct.substring(0, semi).trim();
    }
    if (!ct.startsWith(prefix) || !ct.endsWith(suffix)) {
      return -1;
    }
    try {
      return Integer.parseInt(ct.substring(prefix.length(), ct.length() - suffix.length()));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return -1;
    }
  }

  /** The highest manifest version in 1..4 named in an Accept header, or -1. */
  public static int negotiateManifestVersion(String accept, int min, int max) {
    if (accept == null) {
      return -1;
    }
    int best = -1;
    for (String part : accept.split(",")) {
      int v = parseManifestContentType(part);
      if (v >= min && v <= max && v > best) {
        best = v;
      }
    }
    return best;
  }
}
