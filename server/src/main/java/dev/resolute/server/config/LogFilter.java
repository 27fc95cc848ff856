package dev.resolute.server.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed {@code log-filter}: the default level and per-target levels. Targets are logger name
 * prefixes with {@code ::} read as {@code .}; {@code restate} (restate-server's own crates) stands
 * for Resolute's {@code dev.resolute}. Levels: {@code off}, {@code error}, {@code warn}, {@code
 * info}, {@code debug}, {@code trace}. Span filters ({@code target[span]=level}) are not supported.
 *
 * @param rootLevel the level of every logger no directive names
 * @param targets logger name → level, in the order written
 */
public record LogFilter(String rootLevel, Map<String, String> targets) {
  private static final java.util.Set<String> LEVELS =
      java.util.Set.of("off", "error", "warn", "info", "debug", "trace");

  /**
   * @throws IllegalArgumentException naming the directive that is not {@code level} or {@code
   *     target=level}
   */
  public static LogFilter parse(String filter) {
    String root = "error";
    Map<String, String> targets = new LinkedHashMap<>();
    for (String raw : filter.split(",")) {
      String d = raw.strip();
      if (d.isEmpty()) {
        continue;
      }
      int eq = d.indexOf('=');
      if (eq < 0) {
        if (LEVELS.contains(d.toLowerCase(Locale.ROOT))) {
          root = d.toLowerCase(Locale.ROOT);
        } else {
          targets.put(logger(d), "trace"); // a bare target enables everything for it
        }
        continue;
      }
      String target = d.substring(0, eq).strip();
      String level = d.substring(eq + 1).strip().toLowerCase(Locale.ROOT);
      if (target.isEmpty() || target.contains("[") || !LEVELS.contains(level)) {
        throw new IllegalArgumentException(
            "invalid log filter directive \""
                + d
                + "\": expected \"level\" or \"target=level\" with a level of off, error, warn,"
                + " info, debug, trace");
      }
      targets.put(logger(target), level);
    }
    return new LogFilter(root, Map.copyOf(targets));
  }

  private static String logger(String target) {
    String t = target.replace("::", ".");
    if (t.equals("restate") || t.startsWith("restate.") || t.startsWith("restate_")) {
      return "dev.resolute";
    }
    return t;
  }
}
