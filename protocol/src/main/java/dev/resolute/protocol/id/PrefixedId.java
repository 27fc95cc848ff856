package dev.resolute.protocol.id;

/** Ids of the form {@code <prefix>_1<base62(uuid, 22)>}: deployments (dp), subscriptions (sub). */
public final class PrefixedId {
  private PrefixedId() {}

  public static String format(String prefix, byte[] uuid16) {
    return prefix + "_1" + Base62.encode(Base62.reversed(uuid16), 22);
  }

  public static byte[] parse(String prefix, String id) {
    String p = prefix + "_1";
    if (id == null || !id.startsWith(p) || id.length() != p.length() + 22) {
      throw new IllegalArgumentException("not a valid " + prefix + " id: " + id);
    }
    return Base62.reversed(Base62.decode(id.substring(p.length()), 16));
  }
}
