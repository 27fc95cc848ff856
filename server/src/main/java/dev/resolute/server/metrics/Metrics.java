package dev.resolute.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;

/**
 * The node's metrics: one Prometheus registry, the instruments of each component ({@link #ingress},
 * {@link #invoker}, {@link #invocations}, {@link #log}) and the gauges read at scrape time. Series
 * that restate-server 1.7.12 also exposes keep its names and labels ({@code restate_…}, with {@code
 * cluster_name} and {@code node_name}); the others are ours ({@code resolute_…}).
 *
 * <p>Hot-path invariant: every data point a request touches is resolved once (per partition at
 * construction, per service/handler on first use, kept in a map) and recording is an add to it; no
 * label lookup or allocation per request. Gauges are callbacks read at scrape time. With {@code
 * disable-prometheus} every instrument is {@link Noop} and only the RocksDB gauges are served,
 * without the node labels, as restate-server does.
 */
public final class Metrics {
  /** Seconds: 0.5 ms to 1 min, for request, attempt and fsync latencies. */
  static final double[] LATENCY_BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final boolean enabled;
  private final Labels nodeLabels;
  private final int partitions;
  private volatile boolean jvmWanted;
  private volatile boolean jvmRegistered;

  public final IngressMetrics ingress;
  public final InvokerMetrics invoker;
  public final InvocationMetrics invocations;
  public final LogMetrics log;

  private Metrics(String clusterName, String nodeName, int partitions, boolean enabled) {
    this.enabled = enabled;
    this.partitions = partitions;
    this.nodeLabels = Labels.of("cluster_name", clusterName, "node_name", nodeName);
    this.ingress = new IngressMetrics(this);
    this.invoker = new InvokerMetrics(this);
    this.invocations = new InvocationMetrics(this);
    this.log = new LogMetrics(this);
  }

  /**
   * @param enabled false for {@code disable-prometheus}: nothing is recorded
   */
  public static Metrics create(
      String clusterName, String nodeName, int partitions, boolean enabled) {
    return new Metrics(clusterName, nodeName, partitions, enabled);
  }

  /** Records nothing (components built without a node, e.g. in unit tests). */
  public static Metrics disabled(int partitions) {
    return new Metrics("", "", partitions, false);
  }

  public boolean enabled() {
    return enabled;
  }

  int partitions() {
    return partitions;
  }

  Counter.Builder counter(String name, String help, String... labelNames) {
    return Counter.builder()
        .name(name)
        .help(help)
        .labelNames(labelNames)
        .constLabels(nodeLabels)
        .withoutExemplars();
  }

  Histogram.Builder histogram(String name, String help, double[] buckets, String... labelNames) {
    return Histogram.builder()
        .name(name)
        .help(help)
        .labelNames(labelNames)
        .constLabels(nodeLabels)
        .classicOnly()
        .classicUpperBounds(buckets)
        .withoutExemplars();
  }

  /** Registers {@code c} when recording is on (a disabled node serves none of it). */
  void register(Collector c) {
    if (enabled) {
      registry.register(c);
    }
  }

  /** A gauge without labels besides the node's, read at scrape time. */
  public void gauge(String name, String help, LongSupplier value) {
    register(
        GaugeWithCallback.builder()
            .name(name)
            .help(help)
            .constLabels(nodeLabels)
            .callback(cb -> cb.call(value.getAsLong()))
            .build());
  }

  /**
   * A gauge per partition ({@code partition_id}), read at scrape time; a negative value leaves the
   * partition out of that scrape.
   */
  public void partitionGauge(String name, String help, IntToLongFunction value) {
    register(
        GaugeWithCallback.builder()
            .name(name)
            .help(help)
            .labelNames("partition_id")
            .constLabels(nodeLabels)
            .callback(
                cb -> {
                  for (int p = 0; p < partitions; p++) {
                    long v = value.applyAsLong(p);
                    if (v >= 0) {
                      cb.call(v, Integer.toString(p));
                    }
                  }
                })
            .build());
  }

  /**
   * The {@code restate_rocksdb_*} gauges of the partition store, read from RocksDB's properties at
   * scrape time. Served even with {@code disable-prometheus} (restate-server does too), then
   * without the node labels.
   *
   * @param properties a property's value by name ({@code rocksdb.…}), or -1 once the store is
   *     closed (that scrape then leaves the series out)
   */
  public void rocksDb(RocksDbGauges.Properties properties) {
    RocksDbGauges.register(registry, enabled ? nodeLabels : Labels.EMPTY, properties);
  }

  /**
   * JVM memory, GC, threads, classes, buffer pools (the Prometheus client's JVM metrics). They are
   * registered at the first scrape: their management beans take tens of milliseconds to load on a
   * cold JVM, which start-up need not pay.
   */
  public void jvm() {
    jvmWanted = enabled;
  }

  private synchronized void registerJvm() {
    if (!jvmRegistered) {
      JvmMetrics.builder().constLabels(nodeLabels).register(registry);
      jvmRegistered = true;
    }
  }

  private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

  /** The {@code content-type} of {@link #scrape}: Prometheus text format 0.0.4. */
  public static String contentType() {
    return TEXT.getContentType();
  }

  /** Writes every series in the Prometheus text format. */
  public void scrape(OutputStream out) throws IOException {
    if (jvmWanted && !jvmRegistered) {
      registerJvm();
    }
    TEXT.write(out, registry.scrape());
  }

  PrometheusRegistry registry() {
    return registry;
  }
}
