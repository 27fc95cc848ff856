package dev.resolute.server.log;

import java.time.Duration;
import java.util.Map;

/**
 * Tuning of the embedded log, read from the environment (Resolute-specific; restate-server has no
 * equivalent keys): {@code RESOLUTE_LOG_SEGMENT_BYTES} (default 64 MiB, at least 4 KiB), {@code
 * RESOLUTE_LOG_TRIM_INTERVAL_MS} (default 10 000, 0 turns trimming off), and the store checkpoints
 * that bound the replay after a crash: {@code RESOLUTE_STORE_FLUSH_RECORDS} (default 4096; 0 turns
 * them off) and {@code RESOLUTE_STORE_FLUSH_INTERVAL_MS} (default 5000). Small segments are for
 * tests that want trimming to happen after a few records.
 *
 * @param checkpointRecords the store is flushed once this many records were committed since the
 *     last flush (0: only trimming and a clean stop flush it)
 * @param checkpointInterval ... or once this long has passed since the last flush and any record
 *     was committed since
 */
public record LogOptions(
    long segmentBytes, Duration trimInterval, long checkpointRecords, Duration checkpointInterval) {
  public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
  public static final Duration DEFAULT_TRIM_INTERVAL = Duration.ofSeconds(10);
  public static final long DEFAULT_CHECKPOINT_RECORDS = 4096;
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(5);
  public static final LogOptions DEFAULTS =
      new LogOptions(
          DEFAULT_SEGMENT_BYTES,
          DEFAULT_TRIM_INTERVAL,
          DEFAULT_CHECKPOINT_RECORDS,
          DEFAULT_CHECKPOINT_INTERVAL);

  public LogOptions {
    if (segmentBytes < 4096) {
      throw new IllegalArgumentException(
          "log segment size must be at least 4096 bytes, got " + segmentBytes);
    }
    if (trimInterval == null || trimInterval.isNegative()) {
      throw new IllegalArgumentException("log trim interval must not be negative");
    }
    if (checkpointRecords < 0) {
      throw new IllegalArgumentException(
          "store flush record count must not be negative, got " + checkpointRecords);
    }
    if (checkpointInterval == null
        || checkpointInterval.isNegative()
        || checkpointInterval.isZero()) {
      throw new IllegalArgumentException("store flush interval must be positive");
    }
  }

  public LogOptions(long segmentBytes, Duration trimInterval) {
    this(segmentBytes, trimInterval, DEFAULT_CHECKPOINT_RECORDS, DEFAULT_CHECKPOINT_INTERVAL);
  }

  public static LogOptions fromEnv(Map<String, String> env) {
    long segment = number(env, "RESOLUTE_LOG_SEGMENT_BYTES", DEFAULT_SEGMENT_BYTES);
    long trim = number(env, "RESOLUTE_LOG_TRIM_INTERVAL_MS", DEFAULT_TRIM_INTERVAL.toMillis());
    long records = number(env, "RESOLUTE_STORE_FLUSH_RECORDS", DEFAULT_CHECKPOINT_RECORDS);
    long every =
        number(env, "RESOLUTE_STORE_FLUSH_INTERVAL_MS", DEFAULT_CHECKPOINT_INTERVAL.toMillis());
    return new LogOptions(segment, Duration.ofMillis(trim), records, Duration.ofMillis(every));
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
