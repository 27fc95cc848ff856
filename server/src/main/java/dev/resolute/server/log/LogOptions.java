package dev.resolute.server.log;

import java.time.Duration;

/**
 * Tuning of the embedded log (Resolute-specific; restate-server has no equivalent keys): the
 * configuration's {@code [resolute] log-segment-bytes} (default 64 MiB, at least 4 KiB) and {@code
 * log-trim-interval} (default 10s, 0 turns trimming off), also set by the older {@code
 * RESOLUTE_LOG_SEGMENT_BYTES} and {@code RESOLUTE_LOG_TRIM_INTERVAL_MS} variables. Small segments
 * are for tests that want trimming to happen after a few records.
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
}
