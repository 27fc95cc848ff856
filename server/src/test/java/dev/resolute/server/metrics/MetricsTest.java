package dev.resolute.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.metrics.InvocationMetrics.Event;
import dev.resolute.server.metrics.InvokerMetrics.End;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exposition: restate-server's names, label names and values for the series it has too (as read
 * from restate-server 1.7.12's {@code /metrics} after a few calls), ours under {@code resolute_},
 * and {@code disable-prometheus}.
 */
class MetricsTest {
  private static final Map<String, String> NODE = Map.of("cluster_name", "c1", "node_name", "n1");

  private static String scrape(Metrics m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.scrape(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Map<String, String> labels(String... kv) {
    java.util.TreeMap<String, String> l = new java.util.TreeMap<>(NODE);
    for (int i = 0; i < kv.length; i += 2) {
      l.put(kv[i], kv[i + 1]);
    }
    return l;
  }

  private static double value(PrometheusText t, String name, Map<String, String> labels) {
    var found =
        t.samples().stream().filter(s -> s.name().equals(name) && s.labels().equals(labels));
    return found
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + labels + " missing"))
        .value();
  }

  @Test
  void restateSeriesHaveRestateNamesAndLabels() throws Exception {
    Metrics m = Metrics.create("c1", "n1", 2, true);
    m.ingress.admitted();
    m.ingress.admitted();
    m.ingress.admitted();
    IngressMetrics.Target call = m.ingress.target("Greeter", "greet", false);
    call.answered(call.start(), 200);
    call.answered(call.start(), 418);
    IngressMetrics.Target send = m.ingress.target("Greeter", "greet", true);
    send.answered(send.start(), 202);
    m.ingress.requestError("Greeter", false);
    m.ingress.clientRequest(1, true);
    m.invoker.enqueued(1);
    long t = m.invoker.started(1);
    m.invoker.ended(1, End.COMPLETED, t);
    t = m.invoker.started(1);
    m.invoker.ended(1, End.FAILED_TRANSIENT, t);
    m.invoker.response(true, 200);
    m.invoker.response(true, 200);
    m.invoker.response(false, 503);
    m.gauge("restate_num_partitions", "partitions", () -> 2);

    PrometheusText t1 = PrometheusText.parse(scrape(m));
    assertThat(t1.types())
        .containsEntry("restate_ingress_requests_total", "counter")
        .containsEntry("restate_invoker_invocation_tasks_total", "counter")
        .containsEntry("restate_num_partitions", "gauge");
    assertThat(value(t1, "restate_ingress_requests_total", labels("status", "admitted")))
        .isEqualTo(3);
    assertThat(
            value(
                t1,
                "restate_ingress_requests_total",
                labels("status", "completed", "rpc_service", "Greeter", "rpc_type", "call")))
        .isEqualTo(1);
    assertThat(
            value(
                t1,
                "restate_ingress_requests_total",
                labels("status", "invocation_error", "rpc_service", "Greeter", "rpc_type", "call")))
        .isEqualTo(1);
    assertThat(
            value(
                t1,
                "restate_ingress_requests_total",
                labels("status", "request_error", "rpc_service", "Greeter", "rpc_type", "call")))
        .isEqualTo(1);
    assertThat(
            value(
                t1,
                "restate_ingress_requests_total",
                labels("status", "completed", "rpc_service", "Greeter", "rpc_type", "send")))
        .isEqualTo(1);
    assertThat(
            value(
                t1,
                "restate_invocation_client_requests_total",
                labels("partition_id", "1", "status", "completed")))
        .isEqualTo(1);
    assertThat(value(t1, "restate_invoker_enqueue_total", labels("partition_id", "1")))
        .isEqualTo(1);
    assertThat(value(t1, "restate_invoker_enqueue_total", labels("partition_id", "0")))
        .isEqualTo(0);
    assertThat(
            value(
                t1,
                "restate_invoker_invocation_tasks_total",
                labels("status", "started", "partition_id", "1")))
        .isEqualTo(2);
    assertThat(
            value(
                t1,
                "restate_invoker_invocation_tasks_total",
                labels("status", "completed", "partition_id", "1")))
        .isEqualTo(1);
    assertThat(
            value(
                t1,
                "restate_invoker_invocation_tasks_total",
                labels("status", "failed", "transient", "true", "partition_id", "1")))
        .isEqualTo(1);
    assertThat(
            value(
                t1,
                "restate_invoker_client_requests_total",
                labels("type", "Http/bidi-stream", "status_code", "200")))
        .isEqualTo(2);
    assertThat(
            value(
                t1,
                "restate_invoker_client_requests_total",
                labels("type", "Http/request-response", "status_code", "503")))
        .isEqualTo(1);
    assertThat(value(t1, "restate_num_partitions", labels())).isEqualTo(2);
    // ours: a latency histogram per handler and type
    assertThat(
            value(
                t1,
                "resolute_ingress_request_duration_seconds_count",
                labels("rpc_service", "Greeter", "rpc_handler", "greet", "rpc_type", "call")))
        .isEqualTo(2);
    assertThat(
            value(
                t1, "resolute_invoker_attempt_duration_seconds_count", labels("status", "failed")))
        .isEqualTo(1);
  }

  @Test
  void oursAreNamedResolute() throws Exception {
    Metrics m = Metrics.create("c1", "n1", 2, true);
    m.invocations.record("Greeter", Event.STARTED);
    m.invocations.record("Greeter", Event.STARTED);
    m.invocations.record("Greeter", Event.PAUSED);
    m.log.committed(3, 2_000_000);
    m.log.committed(1, 1_000_000);
    m.partitionGauge("resolute_partition_outbox_depth", "depth", p -> p == 0 ? 7 : -1);
    m.rocksDb(p -> p.equals("rocksdb.total-sst-files-size") ? 4096 : 0);
    m.jvm();

    PrometheusText t = PrometheusText.parse(scrape(m));
    assertThat(
            value(
                t,
                "resolute_invocations_total",
                labels("rpc_service", "Greeter", "event", "started")))
        .isEqualTo(2);
    assertThat(
            value(
                t,
                "resolute_invocations_total",
                labels("rpc_service", "Greeter", "event", "paused")))
        .isEqualTo(1);
    assertThat(value(t, "resolute_log_appended_records_total", labels())).isEqualTo(4);
    assertThat(value(t, "resolute_log_group_commit_records_count", labels())).isEqualTo(2);
    assertThat(value(t, "resolute_log_group_commit_records_sum", labels())).isEqualTo(4);
    assertThat(value(t, "resolute_log_fsync_duration_seconds_sum", labels())).isEqualTo(0.003);
    assertThat(value(t, "resolute_partition_outbox_depth", labels("partition_id", "0")))
        .isEqualTo(7);
    assertThat(t.find("resolute_partition_outbox_depth", "partition_id", "1")).isEmpty();
    assertThat(
            value(
                t,
                "restate_rocksdb_total_sst_files_size_bytes",
                labels("db", "db", "cf", "default")))
        .isEqualTo(4096);
    assertThat(value(t, "restate_rocksdb_num_running_compactions", labels("db", "db")))
        .isEqualTo(0);
    assertThat(t.find("jvm_memory_used_bytes", "area", "heap")).isNotEmpty();
    assertThat(t.find("jvm_threads_current")).isNotEmpty();
    assertThat(t.types().keySet()).anyMatch(n -> n.startsWith("jvm_gc_collection_seconds"));
  }

  @Test
  void disabledRecordsNothingAndServesOnlyRocksDbWithoutNodeLabels() throws Exception {
    Metrics m = Metrics.create("c1", "n1", 2, false);
    m.ingress.admitted();
    IngressMetrics.Target call = m.ingress.target("Greeter", "greet", false);
    assertThat(call.start()).isZero();
    call.answered(0, 200);
    m.invoker.enqueued(0);
    m.invoker.ended(0, End.COMPLETED, m.invoker.started(0));
    m.invocations.record("Greeter", Event.STARTED);
    m.log.committed(1, 1);
    m.gauge("restate_num_partitions", "partitions", () -> 2);
    m.jvm();
    m.rocksDb(p -> 5);

    String text = scrape(m);
    PrometheusText t = PrometheusText.parse(text);
    assertThat(t.samples()).isNotEmpty().allMatch(s -> s.name().startsWith("restate_rocksdb_"));
    assertThat(text).doesNotContain("cluster_name");
    assertThat(t.find("restate_rocksdb_estimate_live_data_size_bytes", "db", "db", "cf", "default"))
        .singleElement()
        .satisfies(s -> assertThat(s.labels()).isEqualTo(Map.of("db", "db", "cf", "default")));
  }

  @Test
  void noneRecordsNothing() {
    InvokerMetrics.none().enqueued(3);
    assertThat(InvokerMetrics.none().started(3)).isZero();
    IngressMetrics.none().admitted();
    IngressMetrics.none().clientRequest(0, true);
    LogMetrics.none().committed(1, 1);
    InvocationMetrics.none().record("x", Event.FAILED);
  }
}
