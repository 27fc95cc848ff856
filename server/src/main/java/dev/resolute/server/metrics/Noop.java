package dev.resolute.server.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * The data point every instrument gets while {@code disable-prometheus} is set: recording does
 * nothing, so the hot path pays one interface call and no atomic operation.
 */
final class Noop implements CounterDataPoint, DistributionDataPoint {
  static final Noop INSTANCE = new Noop();

  private Noop() {}

  @Override
  public void inc(double amount) {}

  @Override
  public void incWithExemplar(double amount, Labels labels) {}

  @Override
  public double get() {
    return 0;
  }

  @Override
  public long getLongValue() {
    return 0;
  }

  @Override
  public long getCount() {
    return 0;
  }

  @Override
  public double getSum() {
    return 0;
  }

  @Override
  public void observe(double value) {}

  @Override
  public void observeWithExemplar(double value, Labels labels) {}
}
