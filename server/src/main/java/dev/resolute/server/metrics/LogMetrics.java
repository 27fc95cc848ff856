package dev.resolute.server.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * The local log, recorded once per group commit on the writer thread (never per record): {@code
 * resolute_log_appended_records_total}, {@code resolute_log_group_commit_records} (records per
 * commit: its count is the number of commits) and {@code resolute_log_fsync_duration_seconds}.
 */
public final class LogMetrics {
  private static final LogMetrics NONE = new LogMetrics(null);

  private final CounterDataPoint records;
  private final DistributionDataPoint batch;
  private final DistributionDataPoint fsync;

  LogMetrics(Metrics m) {
    if (m == null || !m.enabled()) {
      records = Noop.INSTANCE;
      batch = Noop.INSTANCE;
      fsync = Noop.INSTANCE;
      return;
    }
    Counter r =
        m.counter("resolute_log_appended_records", "Records appended to the local log").build();
    Histogram b =
        m.histogram(
                "resolute_log_group_commit_records",
                "Records per group commit (one write and one fsync)",
                new double[] {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096})
            .build();
    Histogram f =
        m.histogram(
                "resolute_log_fsync_duration_seconds",
                "Duration of the log's fsync per group commit",
                Metrics.LATENCY_BUCKETS)
            .build();
    m.register(r);
    m.register(b);
    m.register(f);
    records = r;
    batch = b;
    fsync = f;
  }

  /** Records nothing. */
  public static LogMetrics none() {
    return NONE;
  }

  /** A group commit of {@code n} records whose fsync took {@code fsyncNanos}. */
  public void committed(long n, long fsyncNanos) {
    records.inc(n);
    batch.observe(n);
    fsync.observe(fsyncNanos / 1e9);
  }
}
