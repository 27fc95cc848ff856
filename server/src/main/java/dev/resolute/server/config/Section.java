package dev.resolute.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed reads from one table of a {@link ConfigTree}. Every key read is marked; {@link #finish()}
 * classifies the rest by the {@link KeyCatalog}: a WARNED key set to a value other than
 * restate-server's default is warned about by name, a REFUSED or unknown key stops the loading.
 * Keys may be spelled with {@code -} or {@code _} (Restate's retry-policy objects use both).
 */
final class Section {
  private static final Logger LOG = LoggerFactory.getLogger(Section.class);

  /**
   * What all sections of one load share: the warning lines, and every key the loader asked for
   * (whether set or not; tests check it against the catalog).
   */
  record Context(List<String> notes, Set<String> read, boolean log) {}

  private final String path;
  private final Map<String, Object> table;
  private final Context ctx;
  private final Set<String> used = new HashSet<>();

  Section(String path, Map<String, Object> table, Context ctx) {
    this.path = path;
    this.table = table;
    this.ctx = ctx;
  }

  private String full(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private String actualKey(String key) {
    if (table.containsKey(key)) {
      return key;
    }
    String alt = key.replace('-', '_');
    return table.containsKey(alt) ? alt : null;
  }

  private ConfigTree.Leaf leaf(String key) {
    ctx.read().add(full(key));
    String k = actualKey(key);
    if (k == null) {
      return null;
    }
    used.add(k);
    Object v = table.get(k);
    if (v instanceof ConfigTree.Leaf l) {
      return l;
    }
    throw new ConfigException("expected a value, found a table, for key \"" + full(key) + "\"");
  }

  private <T> T read(String key, T def, Function<Object, T> conv) {
    ConfigTree.Leaf l = leaf(key);
    if (l == null) {
      return def;
    }
    try {
      return conv.apply(l.value());
    } catch (RuntimeException e) {
      throw new ConfigException(e.getMessage() + " for key \"" + full(key) + "\" " + l.origin());
    }
  }

  /** Wraps record-constructor validation errors so they name the source of the section. */
  <T> T build(java.util.function.Supplier<T> ctor) {
    try {
      return ctor.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException("invalid value: " + e.getMessage());
    }
  }

  String string(String key, String def) {
    return read(
        key,
        def,
        v -> {
          if (v instanceof String s) {
            return s;
          }
          throw new IllegalArgumentException("expected a string, found " + describe(v));
        });
  }

  Path path(String key, Path def) {
    String s = string(key, null);
    return s == null ? def : Path.of(s);
  }

  Duration duration(String key, Duration def) {
    return read(
        key,
        def,
        v -> {
          if (v instanceof String s) {
            return Durations.parse(s);
          }
          throw new IllegalArgumentException(
              "expected a duration string like \"10s\" or \"PT10S\", found " + describe(v));
        });
  }

  BindAddress bindAddress(String key, BindAddress def) {
    return read(
        key,
        def,
        v -> {
          if (v instanceof String s) {
            return BindAddress.parse(s);
          }
          throw new IllegalArgumentException(
              "expected a socket address string like \"0.0.0.0:8080\", found " + describe(v));
        });
  }

  boolean bool(String key, boolean def) {
    return read(
        key,
        def,
        v -> {
          if (v instanceof Boolean b) {
            return b;
          }
          if (v instanceof String s && (s.strip().equals("true") || s.strip().equals("false"))) {
            return s.strip().equals("true");
          }
          throw new IllegalArgumentException("expected a boolean, found " + describe(v));
        });
  }

  /** A byte size: an integer of bytes or a string such as {@code "32.0 MiB"}. */
  long byteSize(String key, long def) {
    return read(
        key,
        def,
        v -> {
          if (v instanceof Long l) {
            if (l < 0) {
              throw new IllegalArgumentException("a byte size must not be negative, got " + l);
            }
            return l;
          }
          if (v instanceof String s) {
            return ByteSizes.parse(s);
          }
          throw new IllegalArgumentException(
              "expected a byte size like \"32.0 MiB\" or an integer, found " + describe(v));
        });
  }

  long integer(String key, long def) {
    return read(key, def, Section::toLong);
  }

  /** An integer, or null for the string {@code "unlimited"}. */
  Integer integerOrUnlimited(String key, Integer def) {
    return read(
        key,
        def,
        v -> {
          if (v instanceof String s && s.strip().equalsIgnoreCase("unlimited")) {
            return null;
          }
          long l = toLong(v);
          if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
            throw new IllegalArgumentException("number out of range: " + l);
          }
          return (int) l;
        });
  }

  double decimal(String key, double def) {
    return read(
        key,
        def,
        v -> {
          if (v instanceof Number n) {
            return n.doubleValue();
          }
          if (v instanceof String s) {
            try {
              return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("expected a number, found \"" + s + "\"");
            }
          }
          throw new IllegalArgumentException("expected a number, found " + describe(v));
        });
  }

  private static long toLong(Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected an integer, found \"" + s + "\"");
      }
    }
    throw new IllegalArgumentException("expected an integer, found " + describe(v));
  }

  private static String describe(Object v) {
    if (v instanceof String s) {
      return "string \"" + s + "\"";
    }
    if (v instanceof List<?>) {
      return "an array";
    }
    return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + v;
  }

  /** The sub-table {@code key}; an empty section when absent. */
  @SuppressWarnings("unchecked")
  Section child(String key) {
    String k = actualKey(key);
    if (k == null) {
      return new Section(full(key), new LinkedHashMap<>(), ctx);
    }
    used.add(k);
    Object v = table.get(k);
    if (v instanceof Map<?, ?> m) {
      return new Section(full(key), (Map<String, Object>) m, ctx);
    }
    ConfigTree.Leaf l = (ConfigTree.Leaf) v;
    throw new ConfigException(
        "expected a table, found a value, for key \"" + full(key) + "\" " + l.origin());
  }

  /**
   * An array of tables ({@code [[ingress.kafka-clusters]]}), each as its keys and plain values
   * (strings, numbers, booleans; arrays as lists); empty when absent. From the environment or the
   * command line, the value is the array in TOML's inline form.
   */
  List<Map<String, Object>> tableArray(String key) {
    ctx.read().add(full(key));
    String k = actualKey(key);
    List<Map<String, Object>> out = new java.util.ArrayList<>();
    if (k == null) {
      return out;
    }
    used.add(k);
    Object v = table.get(k);
    if (v instanceof ConfigTree.Leaf env && env.value() instanceof String text) {
      // from the environment or the command line: the TOML form of the array, e.g.
      // [{name = "c", brokers = ["b:9092"]}]
      org.tomlj.TomlParseResult parsed;
      try {
        parsed = org.tomlj.Toml.parse("v = " + text);
      } catch (RuntimeException | AssertionError e) {
        parsed = null; // tomlj asserts on some malformed escapes
      }
      if (parsed == null
          || parsed.hasErrors()
          || !(parsed.get("v") instanceof org.tomlj.TomlArray a)) {
        throw new ConfigException(
            "expected an array of tables like [{name = \"c\", brokers = [\"host:9092\"]}] for key"
                + " \""
                + full(key)
                + "\" "
                + env.origin());
      }
      v = new ConfigTree.Leaf(a.toList(), env.origin(), env.fromEnv());
    }
    if (!(v instanceof ConfigTree.Leaf l) || !(l.value() instanceof List<?> items)) {
      String origin = v instanceof ConfigTree.Leaf l2 ? " " + l2.origin() : "";
      throw new ConfigException(
          "expected an array of tables ([["
              + full(key)
              + "]] in the configuration file) for key \""
              + full(key)
              + "\""
              + origin);
    }
    for (Object item : items) {
      if (!(item instanceof org.tomlj.TomlTable t)) {
        throw new ConfigException(
            "expected an array of tables for key \"" + full(key) + "\" " + l.origin());
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      for (String name : t.keySet()) {
        Object value = t.get(List.of(name));
        entry.put(name, value instanceof org.tomlj.TomlArray a ? a.toList() : value);
      }
      out.add(entry);
    }
    return out;
  }

  /**
   * A table of string values read whole (e.g. {@code additional-request-headers}); empty when
   * absent. From the environment, a value {@code {a = "x", b = "y"}} or {@code a=x,b=y}.
   */
  Map<String, String> stringTable(String key) {
    ctx.read().add(full(key));
    String k = actualKey(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (k == null) {
      return out;
    }
    used.add(k);
    Object v = table.get(k);
    if (v instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String name = String.valueOf(e.getKey());
        if (!(e.getValue() instanceof ConfigTree.Leaf l) || !(l.value() instanceof String s)) {
          throw new ConfigException(
              "expected a string value for key \"" + full(key) + "." + name + "\"");
        }
        out.put(name, s);
      }
      return out;
    }
    ConfigTree.Leaf l = (ConfigTree.Leaf) v;
    if (!(l.value() instanceof String s)) {
      throw new ConfigException(
          "expected a table of strings for key \"" + full(key) + "\" " + l.origin());
    }
    String body = s.strip();
    if (body.startsWith("{") && body.endsWith("}")) {
      body = body.substring(1, body.length() - 1);
    }
    for (String pair : body.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=') >= 0 ? pair.indexOf('=') : pair.indexOf(':');
      if (eq <= 0) {
        throw new ConfigException(
            "expected name=value pairs for key \"" + full(key) + "\" " + l.origin());
      }
      out.put(unquote(pair.substring(0, eq)), unquote(pair.substring(eq + 1)));
    }
    return out;
  }

  private static String unquote(String s) {
    String t = s.strip();
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1);
    }
    return t;
  }

  /** Whether {@code key} is set in this table (by any source). */
  boolean isSet(String key) {
    return actualKey(key) != null;
  }

  /** Adds one warning line (also logged, unless the caller logs the lines itself). */
  void note(String line) {
    if (ctx.log()) {
      LOG.warn(line);
    }
    ctx.notes().add(line);
  }

  /**
   * Classifies every key of this table by the {@link KeyCatalog}: keys the loader read are done (a
   * read key the catalog lists as WARNED still gets its warning); the rest are warned about,
   * refused, or rejected as unknown. Unknown top-level names from the environment only get a
   * warning (the environment holds many unrelated {@code RESTATE_…} variables).
   */
  void finish() {
    for (Map.Entry<String, Object> e : table.entrySet()) {
      String fullKey = full(e.getKey());
      if (used.contains(e.getKey())) {
        if (e.getValue() instanceof ConfigTree.Leaf l) {
          KeyCatalog.Entry entry = KeyCatalog.lookup(fullKey);
          if (entry != null && entry.kind() == KeyCatalog.Kind.WARNED) {
            warnUnlessDefault(fullKey, l, entry);
          }
        }
        continue;
      }
      for (String read : used) {
        if (!read.equals(e.getKey())
            && KeyCatalog.normalize(read).equals(KeyCatalog.normalize(e.getKey()))) {
          throw new ConfigException(
              "configuration key \""
                  + full(read)
                  + "\" is given twice, also as \""
                  + fullKey
                  + "\" ('_' and '-' name the same key)");
        }
      }
      Map<String, ConfigTree.Leaf> leaves = new LinkedHashMap<>();
      flatten(fullKey, e.getValue(), leaves);
      if (leaves.isEmpty() && KeyCatalog.lookup(fullKey) == null) {
        throw new ConfigException("unknown key \"" + fullKey + "\"");
      }
      for (Map.Entry<String, ConfigTree.Leaf> leaf : leaves.entrySet()) {
        classify(leaf.getKey(), leaf.getValue());
      }
    }
  }

  private void classify(String key, ConfigTree.Leaf l) {
    KeyCatalog.Entry entry = KeyCatalog.lookup(key);
    if (entry == null) {
      if (l.fromEnv() && !key.contains(".")) {
        LOG.warn(
            "ignoring environment variable for unknown configuration key \"{}\" ({})",
            key,
            l.origin());
        return;
      }
      throw new ConfigException("unknown key \"" + key + "\" " + l.origin());
    }
    switch (entry.kind()) {
      case WARNED -> warnUnlessDefault(key, l, entry);
      case REFUSED ->
          throw new ConfigException(
              "configuration key \""
                  + key
                  + "\" "
                  + l.origin()
                  + " is not supported by Resolute: "
                  + entry.note());
      case APPLIED -> {
        if (entry.pattern().split("\\.").length < key.split("\\.").length) {
          // a table under the name of a value the loader reads
          throw new ConfigException("unknown key \"" + key + "\" " + l.origin());
        }
        throw new IllegalStateException(
            "configuration key \"" + key + "\" is applied but the loader did not read it");
      }
    }
  }

  private void warnUnlessDefault(String key, ConfigTree.Leaf l, KeyCatalog.Entry entry) {
    if (!entry.always()) {
      Object dflt = RestateDefaults.of(key, entry.restateDefault());
      if (dflt != null && RestateDefaults.same(l.value(), dflt)) {
        return;
      }
    }
    note(
        "configuration key \""
            + key
            + "\" = "
            + l.value()
            + " ("
            + l.origin()
            + ") is accepted and not applied: "
            + entry.note());
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String key, Object v, Map<String, ConfigTree.Leaf> out) {
    if (v instanceof ConfigTree.Leaf l) {
      out.put(key, l);
    } else if (v instanceof Map<?, ?> m) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
        flatten(key + "." + e.getKey(), e.getValue(), out);
      }
    }
  }
}
