package dev.resolute.server.ingress;

import java.util.Locale;

/** Media-type matching for handler input rules: parameters ignored, {@code *} wildcards allowed. */
final class ContentTypes {
  private ContentTypes() {}

  static String essence(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  /**
   * Whether {@code actual} (a request content-type) is accepted by {@code accepted} (may hold
   * wildcards).
   */
  static boolean matches(String accepted, String actual) {
    String a = essence(accepted);
    String b = essence(actual);
    if (a.equals("*/*") || a.equals("*")) {
      return true;
    }
    int sa = a.indexOf('/');
    int sb = b.indexOf('/');
    if (sa < 0 || sb < 0) {
      return a.equals(b);
    }
    String typeA = a.substring(0, sa);
    String subA = a.substring(sa + 1);
    String typeB = b.substring(0, sb);
    String subB = b.substring(sb + 1);
    return (typeA.equals("*") || typeA.equals(typeB)) && (subA.equals("*") || subA.equals(subB));
  }
}
