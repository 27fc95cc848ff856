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
 * Typed reads from one table of a {@link ConfigTree}. Every key read or explicitly ignored is
 * marked; {@link #finish()} rejects the rest as unknown. Keys may be spelled with {@code -} or
 * {@code _} (Restate's retry-policy objects use both).
 */
final class Section {
  private static final Logger LOG = LoggerFactory.getLogger(Section.class);

  private final String path;
  private final Map<String, Object> table;
  private final Set<String> used = new HashSet<>();
  private final Set<String> ignoredTables = new HashSet<>();

  Section(String path, Map<String, Object> table) {
    this.path = path;
    this.table = table;
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

  /** A byte size: a human-readable string ({@code "32 MiB"}) or an integer number of bytes. */
  long bytes(String key, long def) {
    return read(key, def, v -> v instanceof String s ? ByteSize.parse(s) : toLong(v));
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
      return new Section(full(key), new LinkedHashMap<>());
    }
    used.add(k);
    Object v = table.get(k);
    if (v instanceof Map<?, ?> m) {
      return new Section(full(key), (Map<String, Object>) m);
    }
    ConfigTree.Leaf l = (ConfigTree.Leaf) v;
    throw new ConfigException(
        "expected a table, found a value, for key \"" + full(key) + "\" " + l.origin());
  }

  /**
   * Accepts restate-server keys Resolute does not implement, so a Restate configuration file loads;
   * logs a warning when one is set. A key ending in {@code *} is a prefix.
   */
  void ignore(String... keys) {
    for (String k : table.keySet()) {
      String norm = k.replace('_', '-');
      for (String pattern : keys) {
        boolean match =
            pattern.endsWith("*")
                ? norm.startsWith(pattern.substring(0, pattern.length() - 1))
                : norm.equals(pattern);
        if (match && used.add(k)) {
          LOG.debug(
              "configuration key \"{}\" is accepted for compatibility and not used by Resolute",
              full(k));
          if (table.get(k) instanceof Map<?, ?>) {
            ignoredTables.add(k);
          }
        }
      }
    }
  }

  /**
   * Whether {@code key} is set to something other than an empty array (restate's default): a
   * non-empty TOML array, or an environment value other than {@code []}.
   */
  boolean isNonEmptyList(String key) {
    String k = actualKey(key);
    if (k == null || !(table.get(k) instanceof ConfigTree.Leaf l)) {
      return false;
    }
    if (l.value() instanceof java.util.List<?> list) {
      return !list.isEmpty();
    }
    return !String.valueOf(l.value()).replaceAll("\\s", "").equals("[]");
  }

  /**
   * A restate-server key that Resolute accepts but applies differently (or needs not apply on one
   * node): marked as read and, when it is set, one WARN line naming the key, its value and what
   * Resolute does instead, also added to {@code notes}. Keeps such keys from being dropped
   * silently.
   */
  void acknowledge(String key, String instead, List<String> notes) {
    String k = actualKey(key);
    if (k == null) {
      return;
    }
    used.add(k);
    Object v = table.get(k);
    String value =
        v instanceof ConfigTree.Leaf l
            ? String.valueOf(l.value()) + " (" + l.origin() + ")"
            : "(a table)";
    String line = "configuration key \"" + full(key) + "\" = " + value + ": " + instead;
    LOG.warn(line);
    notes.add(line);
  }

  /** Rejects keys nobody read. Unknown top-level names from the environment only get a warning. */
  void finish() {
    for (Map.Entry<String, Object> e : table.entrySet()) {
      if (used.contains(e.getKey())) {
        continue;
      }
      ConfigTree.Leaf origin = firstLeaf(e.getValue());
      if (origin != null && origin.fromEnv() && path.isEmpty()) {
        LOG.warn(
            "ignoring environment variable for unknown configuration key \"{}\" ({})",
            e.getKey(),
            origin.origin());
        continue;
      }
      throw new ConfigException(
          "unknown key \""
              + full(e.getKey())
              + "\""
              + (origin == null ? "" : " " + origin.origin()));
    }
  }

  private static ConfigTree.Leaf firstLeaf(Object v) {
    if (v instanceof ConfigTree.Leaf l) {
      return l;
    }
    if (v instanceof Map<?, ?> m) {
      for (Object o : m.values()) {
        ConfigTree.Leaf l = firstLeaf(o);
        if (l != null) {
          return l;
        }
      }
    }
    return null;
  }
}
