package dev.resolute.server.config;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;

/**
 * restate-server 1.7.12's defaults, as its {@code --dump-config} prints them (the resource {@code
 * restate-1.7.12-defaults.toml}), and the comparison that decides whether a value set in Resolute's
 * configuration differs from them. Loaded only when a {@link KeyCatalog.Kind#WARNED} key is set.
 */
final class RestateDefaults {
  private RestateDefaults() {}

  static final String RESOURCE = "restate-1.7.12-defaults.toml";

  private static final class Holder {
    static final TomlParseResult DUMP = load();
  }

  private static TomlParseResult load() {
    try (InputStream in = RestateDefaults.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      TomlParseResult r = Toml.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      if (r.hasErrors()) {
        throw new IllegalStateException("invalid " + RESOURCE + ": " + r.errors());
      }
      return r;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }

  /** restate-server's default of {@code dottedKey} (TOML value or array as a list), or null. */
  static Object of(String dottedKey, String literal) {
    if (literal != null) {
      TomlParseResult r = Toml.parse("v = " + literal);
      return plain(r.get("v"));
    }
    String[] parts = KeyCatalog.normalize(dottedKey).split("\\.");
    return plain(Holder.DUMP.get(Arrays.asList(parts)));
  }

  private static Object plain(Object v) {
    return v instanceof TomlArray a ? a.toList() : v;
  }

  /**
   * Whether a configured value equals restate-server's default: numbers numerically, durations and
   * byte sizes by their value, lists element by element (an environment value {@code [a,b]} is a
   * list), the rest by text.
   */
  static boolean same(Object value, Object dflt) {
    if (value == null || dflt == null) {
      return value == dflt;
    }
    if (value instanceof String s && dflt instanceof List<?>) {
      return same(splitList(s), dflt);
    }
    if (value instanceof List<?> a && dflt instanceof List<?> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    String a = String.valueOf(value).strip();
    String b = String.valueOf(dflt).strip();
    if (a.equalsIgnoreCase(b)) {
      return true;
    }
    try {
      return new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
    } catch (NumberFormatException notNumbers) {
      // not both numbers
    }
    try {
      return Durations.parse(a).equals(Durations.parse(b));
    } catch (IllegalArgumentException notDurations) {
      // not both durations
    }
    try {
      return ByteSizes.parse(a) == ByteSizes.parse(b);
    } catch (IllegalArgumentException notSizes) {
      return false;
    }
  }

  private static List<String> splitList(String s) {
    String t = s.strip();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    List<String> out = new ArrayList<>();
    for (String part : t.split(",")) {
      String p = part.strip();
      if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
        p = p.substring(1, p.length() - 1);
      }
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }
}
