package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.metrics.PrometheusText;
import dev.resolute.testsupport.Http;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.RestateServerProcess;
import dev.resolute.testsupport.Wait;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /metrics} on the node port counts what was sent: calls that succeed, calls whose handler
 * throws a terminal error, sends, a call to an unknown handler and one to an unknown service. The
 * same requests go to restate-server 1.7.12: its ingress counters must be equal, and every {@code
 * restate_…} series Resolute shows with a non-zero value must exist there with the same label
 * names.
 */
@Timeout(300)
class MetricsIT {
  private static final int OK = 5;
  private static final int TERMINAL = 3;
  private static final int SENDS = 4;
  private static final int DISPATCHED = OK + TERMINAL + SENDS;

  private static void sendAll(Harness h) throws Exception {
    for (int i = 0; i < OK; i++) {
      assertThat(h.call("/Greeter/greet", "\"m" + i + "\"").statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < TERMINAL; i++) {
      assertThat(h.call("/Greeter/terminal", "\"boom\"").statusCode()).isEqualTo(418);
    }
    for (int i = 0; i < SENDS; i++) {
      h.sendId("/Greeter/greet/send", "\"s" + i + "\"");
    }
    assertThat(h.call("/Greeter/nope", "\"x\"").statusCode()).isEqualTo(404);
    assertThat(h.call("/Nope/greet", "\"x\"").statusCode()).isEqualTo(404);
  }

  private static PrometheusText scrape(String nodeUrl) throws Exception {
    HttpResponse<String> r =
        Harness.HTTP.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(nodeUrl + "/metrics"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    return PrometheusText.parse(r.body());
  }

  /** The ingress series other than {@code admitted}, by (status, service, type). */
  private static Map<String, Double> ingress(PrometheusText t) {
    Map<String, Double> m = new TreeMap<>();
    for (PrometheusText.Sample s : t.find("restate_ingress_requests_total")) {
      if (!"admitted".equals(s.labels().get("status")) && s.value() > 0) {
        m.put(
            s.labels().get("status")
                + " "
                + s.labels().get("rpc_service")
                + " "
                + s.labels().get("rpc_type"),
            s.value());
      }
    }
    return m;
  }

  @Test
  void countersEqualTheRequestsSentAndRestateServersNamesAndLabels() throws Exception {
    try (Harness h = Harness.resolute("metrics");
        Harness ref = Harness.restate(h)) {
      sendAll(h);
      sendAll(ref);
      String node = ((ResoluteProcess) h.server).nodeUrl();
      String refNode = ((RestateServerProcess) ref.server).nodeUrl();
      // sends run after their 202: wait until every invocation has ended on both
      PrometheusText t =
          Wait.forValue(
              "Resolute's invoker tasks to complete",
              Duration.ofSeconds(60),
              () -> {
                PrometheusText s = scrape(node);
                return s.sum("restate_invoker_invocation_tasks_total", "status", "completed")
                            == DISPATCHED
                        && s.sum("resolute_invocations_total", "event", "completed") == OK + SENDS
                    ? s
                    : null;
              });
      PrometheusText r =
          Wait.forValue(
              "restate-server's invoker tasks to complete",
              Duration.ofSeconds(60),
              () -> {
                PrometheusText s = scrape(refNode);
                return s.sum("restate_invoker_invocation_tasks_total", "status", "completed")
                        == DISPATCHED
                    ? s
                    : null;
              });

      // restate's series, as restate-server counts them
      assertThat(t.find("restate_ingress_requests_total", "status", "admitted"))
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.value()).isEqualTo(DISPATCHED + 2);
                assertThat(s.labels())
                    .isEqualTo(
                        Map.of(
                            "cluster_name", "localcluster",
                            "node_name", "resolute",
                            "status", "admitted"));
              });
      assertThat(ingress(t))
          .isEqualTo(
              Map.of(
                  "completed Greeter call", (double) OK,
                  "invocation_error Greeter call", (double) TERMINAL,
                  "completed Greeter send", (double) SENDS,
                  "request_error Greeter call", 1.0));
      assertThat(ingress(t)).isEqualTo(ingress(r));
      for (String status : List.of("started", "completed")) {
        assertThat(t.sum("restate_invoker_invocation_tasks_total", "status", status))
            .as(status)
            .isEqualTo(DISPATCHED)
            .isEqualTo(r.sum("restate_invoker_invocation_tasks_total", "status", status));
      }
      assertThat(t.sum("restate_invoker_enqueue_total"))
          .isEqualTo(DISPATCHED)
          .isEqualTo(r.sum("restate_invoker_enqueue_total"));
      assertThat(
              t.sum(
                  "restate_invoker_client_requests_total",
                  "type",
                  "Http/bidi-stream",
                  "status_code",
                  "200"))
          .isEqualTo(DISPATCHED)
          .isEqualTo(
              r.sum(
                  "restate_invoker_client_requests_total",
                  "type",
                  "Http/bidi-stream",
                  "status_code",
                  "200"));
      assertThat(t.sum("restate_invocation_client_requests_total", "status", "completed"))
          .isEqualTo(DISPATCHED);
      assertThat(t.sum("restate_num_partitions"))
          .isEqualTo(4)
          .isEqualTo(r.sum("restate_num_partitions"));
      assertThat(t.find("restate_rocksdb_total_sst_files_size_bytes", "db", "db", "cf", "default"))
          .hasSize(1);
      assertThat(t.find("restate_rocksdb_cur_size_all_mem_tables_bytes", "cf", "default"))
          .singleElement()
          .satisfies(s -> assertThat(s.value()).isPositive());

      // every restate_… series with a value exists on restate-server with the same label names
      for (PrometheusText.Sample s : t.samples()) {
        if (!s.name().startsWith("restate_") || s.value() == 0) {
          continue;
        }
        Set<Set<String>> theirs = new java.util.HashSet<>();
        for (PrometheusText.Sample o : r.find(s.name())) {
          theirs.add(new TreeSet<>(o.labels().keySet()));
        }
        assertThat(theirs).as(s.name() + s.labels()).contains(new TreeSet<>(s.labels().keySet()));
      }

      // ours
      assertThat(
              t.sum(
                  "resolute_ingress_request_duration_seconds_count",
                  "rpc_service",
                  "Greeter",
                  "rpc_handler",
                  "greet",
                  "rpc_type",
                  "call"))
          .isEqualTo(OK);
      assertThat(
              t.sum(
                  "resolute_ingress_request_duration_seconds_count",
                  "rpc_handler",
                  "terminal",
                  "rpc_type",
                  "call"))
          .isEqualTo(TERMINAL);
      assertThat(
              t.sum(
                  "resolute_ingress_request_duration_seconds_count",
                  "rpc_handler",
                  "greet",
                  "rpc_type",
                  "send"))
          .isEqualTo(SENDS);
      assertThat(t.sum("resolute_invocations_total", "rpc_service", "Greeter", "event", "started"))
          .isEqualTo(DISPATCHED);
      assertThat(t.sum("resolute_invocations_total", "rpc_service", "Greeter", "event", "failed"))
          .isEqualTo(TERMINAL);
      assertThat(t.sum("resolute_invoker_attempt_duration_seconds_count")).isEqualTo(DISPATCHED);
      assertThat(t.sum("resolute_invoker_inflight_attempts")).isZero();
      assertThat(t.sum("resolute_log_appended_records_total")).isGreaterThanOrEqualTo(DISPATCHED);
      assertThat(t.sum("resolute_log_group_commit_records_count")).isPositive();
      assertThat(t.sum("resolute_log_fsync_duration_seconds_count"))
          .isEqualTo(t.sum("resolute_log_group_commit_records_count"));
      assertThat(t.find("resolute_partition_applied_lsn_lag")).hasSize(4);
      assertThat(t.find("resolute_partition_outbox_depth")).hasSize(4);
      assertThat(t.find("resolute_partition_timers_armed")).hasSize(4);
      assertThat(t.find("jvm_memory_used_bytes", "area", "heap")).isNotEmpty();
      assertThat(t.find("jvm_threads_current")).isNotEmpty();

      assertThat(Http.status(node + "/health")).isEqualTo(200);
      assertThat(Http.status(node + "/nowhere")).isEqualTo(404);
      assertThat(Http.status(refNode + "/nowhere")).isEqualTo(404);
    }
  }

  @Test
  void disablePrometheusRecordsNothingAndServesOnlyRocksDb() throws Exception {
    try (ResoluteProcess server =
        ResoluteProcess.create("metrics-off")
            .env(
                Map.of("RESTATE_DEFAULT_NUM_PARTITIONS", "2", "RESTATE_DISABLE_PROMETHEUS", "true"))
            .start()) {
      assertThat(Harness.send(server.ingressPort(), "POST", "/Nope/greet", "\"x\"").statusCode())
          .isEqualTo(404);
      HttpResponse<String> r = Harness.get(server.nodePort(), "/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      PrometheusText t = PrometheusText.parse(r.body());
      assertThat(t.samples())
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.name()).startsWith("restate_rocksdb_"));
      assertThat(r.body()).doesNotContain("cluster_name");
      assertThat(Http.status(server.nodeUrl() + "/health")).isEqualTo(200);
    }
  }
}
