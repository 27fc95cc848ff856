package dev.resolute.server.schema;

import java.time.Duration;

/** Formats durations as restate-server's admin API does: "1d", "1h 2m 3s", "1s 500ms", "0s". */
public final class Humantime {
  private Humantime() {}

  public static String format(Duration d) {
    if (d == null) {
      return null;
    }
    long ms = d.toMillis();
    if (ms <= 0) {
      return "0s";
    }
    long[] parts = {
      ms / 86_400_000, ms / 3_600_000 % 24, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000
    };
    String[] units = {"d", "h", "m", "s", "ms"};
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (parts[i] != 0) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(parts[i]).append(units[i]);
      }
    }
    return sb.toString();
  }
}
