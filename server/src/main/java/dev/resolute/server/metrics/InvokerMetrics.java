package dev.resolute.server.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The invoker's series, as restate-server names them: {@code restate_invoker_enqueue_total
 * {partition_id}} (attempts handed to the invoker), {@code restate_invoker_invocation_tasks_total
 * {status,partition_id}} ({@code started}, {@code completed}, {@code suspended}, and {@code failed}
 * with {@code transient="true"} when a retry follows, {@code "false"} when retries are exhausted),
 * {@code restate_invoker_client_requests_total{type,status_code}} (response statuses of the
 * deployments). Ours: {@code resolute_invoker_attempt_duration_seconds{status}}, from start to the
 * attempt's end.
 */
public final class InvokerMetrics {
  /** How an attempt ended. */
  public enum End {
    COMPLETED("completed"),
    SUSPENDED("suspended"),
    /** Failed, a retry follows. */
    FAILED_TRANSIENT("failed"),
    /** Failed with retries exhausted (paused or killed). */
    FAILED("failed");

    final String status;

    End(String status) {
      this.status = status;
    }
  }

  private static final String BIDI = "Http/bidi-stream";
  private static final String REQUEST_RESPONSE = "Http/request-response";
  private static final int MAX_STATUS = 600;

  private final boolean enabled;
  private final CounterDataPoint[] enqueued;
  private final CounterDataPoint[] started;
  private final CounterDataPoint[][] ended;
  private final DistributionDataPoint[] attemptDuration;
  private final Counter clientRequests;
  private final AtomicReferenceArray<CounterDataPoint> byStatus =
      new AtomicReferenceArray<>(2 * MAX_STATUS);

  private static final InvokerMetrics NONE = new InvokerMetrics(null);

  /** Records nothing. */
  public static InvokerMetrics none() {
    return NONE;
  }

  InvokerMetrics(Metrics m) {
    this.enabled = m != null && m.enabled();
    if (m == null) {
      enqueued = new CounterDataPoint[0];
      started = new CounterDataPoint[0];
      ended = new CounterDataPoint[0][];
      attemptDuration = new DistributionDataPoint[0];
      clientRequests = null;
      return;
    }
    Counter enqueue =
        m.counter(
                "restate_invoker_enqueue",
                "Number of invocations that were added to the queue",
                "partition_id")
            .build();
    m.register(enqueue);
    Counter tasks =
        m.counter("restate_invoker_invocation_tasks", "", "status", "partition_id").build();
    Counter failedTasks =
        m.counter("restate_invoker_invocation_tasks", "", "status", "transient", "partition_id")
            .build();
    m.register(
        new MergedCounter(
            "restate_invoker_invocation_tasks",
            "Invocation task operation",
            List.of(tasks, failedTasks)));
    Histogram duration =
        m.histogram(
                "resolute_invoker_attempt_duration_seconds",
                "Duration of invocation attempts, from start to End, Suspension or failure",
                Metrics.LATENCY_BUCKETS,
                "status")
            .build();
    m.register(duration);
    clientRequests =
        m.counter(
                "restate_invoker_client_requests",
                "Requests sent to deployments and their status codes",
                "type",
                "status_code")
            .build();
    m.register(clientRequests);
    int n = m.partitions();
    enqueued = new CounterDataPoint[n];
    started = new CounterDataPoint[n];
    ended = new CounterDataPoint[n][End.values().length];
    for (int p = 0; p < n; p++) {
      String id = Integer.toString(p);
      enqueued[p] = enabled ? enqueue.labelValues(id) : Noop.INSTANCE;
      started[p] = enabled ? tasks.labelValues("started", id) : Noop.INSTANCE;
      ended[p][End.COMPLETED.ordinal()] =
          enabled ? tasks.labelValues("completed", id) : Noop.INSTANCE;
      ended[p][End.SUSPENDED.ordinal()] =
          enabled ? tasks.labelValues("suspended", id) : Noop.INSTANCE;
      ended[p][End.FAILED_TRANSIENT.ordinal()] =
          enabled ? failedTasks.labelValues("failed", "true", id) : Noop.INSTANCE;
      ended[p][End.FAILED.ordinal()] =
          enabled ? failedTasks.labelValues("failed", "false", id) : Noop.INSTANCE;
    }
    attemptDuration = new DistributionDataPoint[End.values().length];
    for (End e : End.values()) {
      attemptDuration[e.ordinal()] = enabled ? duration.labelValues(e.status) : Noop.INSTANCE;
    }
  }

  /** An attempt of an invocation of {@code partition} was handed to the invoker. */
  public void enqueued(int partition) {
    if (partition < enqueued.length) {
      enqueued[partition].inc();
    }
  }

  /**
   * An attempt starts.
   *
   * @return its start time for {@link #ended}
   */
  public long started(int partition) {
    if (!enabled || partition >= started.length) {
      return 0;
    }
    started[partition].inc();
    return System.nanoTime();
  }

  /** An attempt ended; {@code start} is what {@link #started} returned. */
  public void ended(int partition, End how, long start) {
    if (!enabled || partition >= ended.length) {
      return;
    }
    ended[partition][how.ordinal()].inc();
    attemptDuration[how.ordinal()].observe((System.nanoTime() - start) / 1e9);
  }

  /** A deployment answered an attempt's request with {@code statusCode}. */
  public void response(boolean bidi, int statusCode) {
    if (!enabled || statusCode < 0 || statusCode >= MAX_STATUS) {
      return;
    }
    int i = (bidi ? 0 : MAX_STATUS) + statusCode;
    CounterDataPoint c = byStatus.get(i);
    if (c == null) {
      c = clientRequests.labelValues(bidi ? BIDI : REQUEST_RESPONSE, Integer.toString(statusCode));
      byStatus.set(i, c);
    }
    c.inc();
  }
}
