package dev.resolute.server.log;

import java.time.Duration;
import java.util.Map;

/**
 * Tuning of the embedded log, read from the environment (Resolute-specific; restate-server has no
 * equivalent keys): {@code RESOLUTE_LOG_SEGMENT_BYTES} (default 64 MiB, at least 4 KiB) and {@code
 * RESOLUTE_LOG_TRIM_INTERVAL_MS} (default 10 000, 0 turns trimming off). Small segments are for
 * tests that want trimming to happen after a few records.
 */
public record LogOptions(long segmentBytes, Duration trimInterval) {
  public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
  public static final Duration DEFAULT_TRIM_INTERVAL = Duration.ofSeconds(10);
  public static final LogOptions DEFAULTS =
      new LogOptions(DEFAULT_SEGMENT_BYTES, DEFAULT_TRIM_INTERVAL);

  public LogOptions {
    if (segmentBytes < 4096) {
      throw new IllegalArgumentException(
          "log segment size must be at least 4096 bytes, got " + segmentBytes);
    }
    if (trimInterval == null || trimInterval.isNegative()) {
      throw new IllegalArgumentException("log trim interval must not be negative");
    }
  }

  public static LogOptions fromEnv(Map<String, String> env) {
    long segment = number(env, "RESOLUTE_LOG_SEGMENT_BYTES", DEFAULT_SEGMENT_BYTES);
    long trim = number(env, "RESOLUTE_LOG_TRIM_INTERVAL_MS", DEFAULT_TRIM_INTERVAL.toMillis());
    return new LogOptions(segment, Duration.ofMillis(trim));
  }

  private static long number(Map<String, String> env, String name, long dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
    }
  }
}
