package dev.resolute.server.config;

import dev.resolute.server.log.LogOptions;
import java.time.Duration;

/**
 * {@code [resolute]}: settings restate-server does not have, for Resolute's own storage. Also read
 * from the environment as {@code RESTATE_RESOLUTE__LOG_SEGMENT_BYTES}, and, as older aliases below
 * every other source but the file, {@code RESOLUTE_LOG_SEGMENT_BYTES}, {@code
 * RESOLUTE_LOG_TRIM_INTERVAL_MS}, {@code RESOLUTE_STORE_FLUSH_RECORDS} and {@code
 * RESOLUTE_STORE_FLUSH_INTERVAL_MS}.
 *
 * @param logSegmentBytes {@code log-segment-bytes}: a log segment file is closed and a new one
 *     started when it would pass this size (default 64 MiB, at least 4 KiB); whole segments are the
 *     unit of trimming, so small values are for tests that want trimming after a few records
 * @param logTrimInterval {@code log-trim-interval}: how often whole segments that every partition
 *     has durably applied are deleted (default 10s; 0 turns trimming off)
 * @param storeFlushRecords {@code store-flush-records}: the store is checkpointed (flushed, and the
 *     log may be trimmed up to it) once this many records were committed since the last checkpoint,
 *     which bounds the replay after a crash (default 16384; 0: only trimming and a clean stop
 *     flush)
 * @param storeFlushInterval {@code store-flush-interval}: ... or once this long has passed with any
 *     record committed since (default 5s)
 */
public record ResoluteConfig(
    long logSegmentBytes,
    Duration logTrimInterval,
    long storeFlushRecords,
    Duration storeFlushInterval) {
  public static final long DEFAULT_LOG_SEGMENT_BYTES = 64L * 1024 * 1024;
  public static final Duration DEFAULT_LOG_TRIM_INTERVAL = Duration.ofSeconds(10);
  // the log's own defaults: one source (this one said 4096 after LogOptions moved to 16384, and
  // the node ran with 4096)
  public static final long DEFAULT_STORE_FLUSH_RECORDS = LogOptions.DEFAULT_CHECKPOINT_RECORDS;
  public static final Duration DEFAULT_STORE_FLUSH_INTERVAL =
      LogOptions.DEFAULT_CHECKPOINT_INTERVAL;

  public ResoluteConfig {
    if (logSegmentBytes < 4096) {
      throw new IllegalArgumentException(
          "resolute.log-segment-bytes must be at least 4096 bytes, got " + logSegmentBytes);
    }
    if (logTrimInterval == null || logTrimInterval.isNegative()) {
      throw new IllegalArgumentException("resolute.log-trim-interval must not be negative");
    }
    if (storeFlushRecords < 0) {
      throw new IllegalArgumentException(
          "resolute.store-flush-records must not be negative, got " + storeFlushRecords);
    }
    if (storeFlushInterval == null
        || storeFlushInterval.isNegative()
        || storeFlushInterval.isZero()) {
      throw new IllegalArgumentException("resolute.store-flush-interval must be positive");
    }
  }

  /** With the default store checkpoints. */
  public ResoluteConfig(long logSegmentBytes, Duration logTrimInterval) {
    this(
        logSegmentBytes,
        logTrimInterval,
        DEFAULT_STORE_FLUSH_RECORDS,
        DEFAULT_STORE_FLUSH_INTERVAL);
  }

  public static ResoluteConfig defaults() {
    return new ResoluteConfig(DEFAULT_LOG_SEGMENT_BYTES, DEFAULT_LOG_TRIM_INTERVAL);
  }
}
