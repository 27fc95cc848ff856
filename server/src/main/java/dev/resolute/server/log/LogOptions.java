package dev.resolute.server.log;

import java.time.Duration;

/**
 * Tuning of the embedded log (Resolute-specific; restate-server has no equivalent keys), from the
 * configuration's {@code [resolute]} section (see {@code ResoluteConfig}): segment size and trim
 * interval, and the store checkpoints that bound the replay after a crash.
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

  /**
   * Records between store checkpoints: replay after a crash is at most about twice this. Was 4096:
   * each checkpoint is a RocksDB flush, and the level-0 files of ~1 MB it left made compaction the
   * node's largest CPU cost under sustained load (see {@code RocksStore.options()}).
   */
  public static final long DEFAULT_CHECKPOINT_RECORDS = 16384;

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
}
