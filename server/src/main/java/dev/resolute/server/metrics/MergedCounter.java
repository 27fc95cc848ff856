package dev.resolute.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/**
 * One counter family made of counters with different label sets, as restate-server exposes some:
 * {@code restate_ingress_requests_total{status="admitted"}} has no {@code rpc_service}, and a
 * failed invoker task carries a {@code transient} label the others lack. A Prometheus client
 * counter has one fixed label set, so each set is its own (unregistered) counter and this collector
 * serves their data points under one name.
 */
final class MergedCounter implements Collector {
  private final String name;
  private final String help;
  private final List<Counter> parts;

  /**
   * @param name without {@code _total}
   */
  MergedCounter(String name, String help, List<Counter> parts) {
    this.name = name;
    this.help = help;
    this.parts = parts;
  }

  @Override
  public MetricSnapshot collect() {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
    for (Counter c : parts) {
      for (CounterSnapshot.CounterDataPointSnapshot d : c.collect().getDataPoints()) {
        b.dataPoint(d);
      }
    }
    return b.build();
  }
}
