package dev.resolute.server.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code resolute_invocations_total{rpc_service,event}}: lifecycle events of invocations as the
 * partitions apply them on the leader (replay at start-up records nothing): {@code started} (first
 * attempt), {@code completed}, {@code failed} (completed with a failure: terminal error, kill,
 * cancel, retries exhausted with kill), {@code retried} (a failed attempt backing off), {@code
 * suspended}, {@code paused}. restate-server has no such series.
 */
public final class InvocationMetrics {
  /** A lifecycle event. */
  public enum Event {
    STARTED,
    COMPLETED,
    FAILED,
    RETRIED,
    SUSPENDED,
    PAUSED;

    final String label = name().toLowerCase(java.util.Locale.ROOT);
  }

  private static final InvocationMetrics NONE = new InvocationMetrics(null);

  private final Counter events;
  private final ConcurrentHashMap<String, CounterDataPoint[]> byService = new ConcurrentHashMap<>();

  InvocationMetrics(Metrics m) {
    if (m == null || !m.enabled()) {
      events = null;
      return;
    }
    events =
        m.counter(
                "resolute_invocations",
                "Invocation lifecycle events applied by the partitions, by service",
                "rpc_service",
                "event")
            .build();
    m.register(events);
  }

  /** Records nothing. */
  public static InvocationMetrics none() {
    return NONE;
  }

  public void record(String service, Event e) {
    if (events == null) {
      return;
    }
    CounterDataPoint[] c = byService.get(service);
    if (c == null) {
      c = byService.computeIfAbsent(service, this::resolve);
    }
    c[e.ordinal()].inc();
  }

  private CounterDataPoint[] resolve(String service) {
    CounterDataPoint[] c = new CounterDataPoint[Event.values().length];
    for (Event e : Event.values()) {
      c[e.ordinal()] = events.labelValues(service, e.label);
    }
    return c;
  }
}
