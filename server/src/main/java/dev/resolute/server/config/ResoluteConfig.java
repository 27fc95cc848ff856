package dev.resolute.server.config;

import java.time.Duration;

/**
 * {@code [resolute]}: settings restate-server does not have, for Resolute's own storage. Also read
 * from the environment as {@code RESTATE_RESOLUTE__LOG_SEGMENT_BYTES}, and, as older aliases below
 * every other source but the file, {@code RESOLUTE_LOG_SEGMENT_BYTES} and {@code
 * RESOLUTE_LOG_TRIM_INTERVAL_MS}.
 *
 * @param logSegmentBytes {@code log-segment-bytes}: a log segment file is closed and a new one
 *     started when it would pass this size (default 64 MiB, at least 4 KiB); whole segments are the
 *     unit of trimming, so small values are for tests that want trimming after a few records
 * @param logTrimInterval {@code log-trim-interval}: how often whole segments that every partition
 *     has durably applied are deleted (default 10s; 0 turns trimming off)
 */
public record ResoluteConfig(long logSegmentBytes, Duration logTrimInterval) {
  public static final long DEFAULT_LOG_SEGMENT_BYTES = 64L * 1024 * 1024;
  public static final Duration DEFAULT_LOG_TRIM_INTERVAL = Duration.ofSeconds(10);

  public ResoluteConfig {
    if (logSegmentBytes < 4096) {
      throw new IllegalArgumentException(
          "resolute.log-segment-bytes must be at least 4096 bytes, got " + logSegmentBytes);
    }
    if (logTrimInterval == null || logTrimInterval.isNegative()) {
      throw new IllegalArgumentException("resolute.log-trim-interval must not be negative");
    }
  }

  public static ResoluteConfig defaults() {
    return new ResoluteConfig(DEFAULT_LOG_SEGMENT_BYTES, DEFAULT_LOG_TRIM_INTERVAL);
  }
}
