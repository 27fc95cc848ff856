package dev.resolute.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * Raw configuration values from all sources, merged into one tree of tables. Each leaf remembers
 * where it came from so errors can name the source. Later merges override earlier ones.
 */
final class ConfigTree {
  /** A value with its origin, e.g. {@code in server.toml TOML file}. */
  record Leaf(Object value, String origin, boolean fromEnv) {}

  final Map<String, Object> root = new LinkedHashMap<>();

  /** Loads a TOML file and merges it into this tree. */
  void mergeTomlFile(Path file) {
    String origin = "in " + file.getFileName() + " TOML file";
    TomlParseResult result;
    try {
      result = Toml.parse(file);
    } catch (java.io.IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    } catch (RuntimeException | AssertionError e) {
      // tomlj asserts on some malformed escapes (\\u followed by non-hex): found by the fuzzer
      throw new ConfigException("invalid TOML " + origin + ": " + e);
    }
    if (result.hasErrors()) {
      TomlParseError err = result.errors().get(0);
      throw new ConfigException(
          "invalid TOML "
              + origin
              + " at line "
              + err.position().line()
              + ", column "
              + err.position().column()
              + ": "
              + err.getMessage());
    }
    mergeTable(root, result, origin);
  }

  private void mergeTable(Map<String, Object> into, TomlTable table, String origin) {
    for (String key : table.keySet()) {
      Object v = table.get(List.of(key));
      if (v instanceof TomlTable t) {
        Object existing = into.get(key);
        @SuppressWarnings("unchecked")
        Map<String, Object> sub =
            existing instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
        into.put(key, sub);
        mergeTable(sub, t, origin);
      } else if (v instanceof TomlArray a) {
        into.put(key, new Leaf(a.toList(), origin, false));
      } else {
        into.put(key, new Leaf(v, origin, false));
      }
    }
  }

  /**
   * Merges {@code RESTATE_<SECTION>__<KEY>} variables: {@code __} separates levels, {@code _}
   * becomes {@code -}, names are lower-cased. {@code RESTATE_CONFIG} (the file) is skipped. Before
   * them, and only for keys the file did not set, the older Resolute variables ({@link #ALIASES});
   * {@code RUST_LOG} sets {@code log-filter}, as it overrides it in restate-server.
   */
  void mergeEnv(Map<String, String> env) {
    for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
      String v = env.get(alias.getKey());
      if (v == null || v.isBlank()) {
        continue;
      }
      List<String> path = List.of(alias.getValue().split("\\."));
      if (get(path) != null) {
        continue;
      }
      String value =
          switch (alias.getKey()) {
            case "RESOLUTE_LOG_TRIM_INTERVAL_MS", "RESOLUTE_STORE_FLUSH_INTERVAL_MS" ->
                v.strip() + "ms";
            case "RESOLUTE_LOG_LEVEL" -> levelFilter(v);
            default -> v;
          };
      if (value != null) {
        put(
            path,
            new Leaf(
                value,
                "in environment variable "
                    + alias.getKey()
                    + " (an alias of "
                    + alias.getValue()
                    + ")",
                true));
      }
    }
    String rustLog = env.get("RUST_LOG");
    if (rustLog != null && !rustLog.isBlank()) {
      put(List.of("log-filter"), new Leaf(rustLog, "in environment variable RUST_LOG", true));
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith("RESTATE_") || name.equals("RESTATE_CONFIG")) {
        continue;
      }
      String rest = name.substring("RESTATE_".length());
      if (rest.isEmpty()) {
        continue;
      }
      List<String> path = new ArrayList<>();
      for (String part : rest.split("__", -1)) {
        path.add(part.toLowerCase(Locale.ROOT).replace('_', '-'));
      }
      put(path, new Leaf(e.getValue(), "in `RESTATE_` environment variable " + name, true));
    }
  }

  /**
   * Older Resolute environment variables → the configuration key they set. They keep working below
   * the file (a {@code RESTATE_…} variable or an option overrides them).
   */
  static final Map<String, String> ALIASES =
      Map.of(
          "RESOLUTE_LOG_SEGMENT_BYTES", "resolute.log-segment-bytes",
          "RESOLUTE_LOG_TRIM_INTERVAL_MS", "resolute.log-trim-interval",
          "RESOLUTE_STORE_FLUSH_RECORDS", "resolute.store-flush-records",
          "RESOLUTE_STORE_FLUSH_INTERVAL_MS", "resolute.store-flush-interval",
          "RESOLUTE_LOG_LEVEL", "log-filter");

  /** {@code RESOLUTE_LOG_LEVEL=debug} → {@code warn,restate=debug}; null for a non-level. */
  private static String levelFilter(String level) {
    String l = level.strip().toLowerCase(Locale.ROOT);
    return switch (l) {
      case "off", "error", "warn", "info", "debug", "trace" -> "warn,restate=" + l;
      default -> null;
    };
  }

  @SuppressWarnings("unchecked")
  private Object get(List<String> path) {
    Object t = root;
    for (String p : path) {
      if (!(t instanceof Map<?, ?> m)) {
        return null;
      }
      t = ((Map<String, Object>) m).get(p);
    }
    return t;
  }

  /** Sets one dotted key, e.g. {@code base-dir}, from the command line. */
  void putCli(String dottedKey, Object value, String option) {
    put(
        List.of(dottedKey.split("\\.")),
        new Leaf(value, "on the command line (" + option + ")", false));
  }

  @SuppressWarnings("unchecked")
  private void put(List<String> path, Leaf leaf) {
    Map<String, Object> t = root;
    for (int i = 0; i < path.size() - 1; i++) {
      Object sub = t.get(path.get(i));
      if (!(sub instanceof Map<?, ?>)) {
        sub = new LinkedHashMap<String, Object>();
        t.put(path.get(i), sub);
      }
      t = (Map<String, Object>) sub;
    }
    t.put(path.get(path.size() - 1), leaf);
  }
}
