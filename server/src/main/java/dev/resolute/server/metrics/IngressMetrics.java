package dev.resolute.server.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingress series. restate-server's {@code restate_ingress_requests_total}: every request on an
 * invocation path is {@code status="admitted"} (no other label); once its service is known, one of
 * {@code completed} (a 2xx answer), {@code invocation_error} (the invocation ended with a failure)
 * or {@code request_error} (any other refusal), with {@code rpc_service} and {@code rpc_type}
 * ({@code call}/{@code send}); a request to an unknown service is only admitted. Ours: {@code
 * resolute_ingress_request_duration_seconds{rpc_service,rpc_handler,rpc_type}}, a histogram of the
 * requests that reached a handler. Also {@code restate_invocation_client_requests_total
 * {partition_id,status}}: the records the ingress and admin API appended for a partition.
 */
public final class IngressMetrics {
  private final Metrics m;
  private final CounterDataPoint admitted;
  private final Counter requests;
  private final Histogram duration;
  private final CounterDataPoint[] clientCompleted;
  private final CounterDataPoint[] clientFailed;
  private final ConcurrentHashMap<String, ServiceEntry> services = new ConcurrentHashMap<>();
  private final Target noop;

  IngressMetrics(Metrics m) {
    this.m = m;
    Counter admittedCounter = m.counter("restate_ingress_requests", "", "status").build();
    this.requests =
        m.counter("restate_ingress_requests", "", "status", "rpc_service", "rpc_type").build();
    String help = "Number of ingress requests in different states, see label state to classify";
    m.register(
        new MergedCounter("restate_ingress_requests", help, List.of(admittedCounter, requests)));
    this.admitted = m.enabled() ? admittedCounter.labelValues("admitted") : Noop.INSTANCE;
    this.duration =
        m.histogram(
                "resolute_ingress_request_duration_seconds",
                "Latency of ingress requests that reached a handler, from dispatch to answer",
                Metrics.LATENCY_BUCKETS,
                "rpc_service",
                "rpc_handler",
                "rpc_type")
            .build();
    m.register(duration);
    Counter client =
        m.counter(
                "restate_invocation_client_requests",
                "Total partition processor RPC attempts made by the invocation client",
                "partition_id",
                "status")
            .build();
    m.register(client);
    int n = m.partitions();
    clientCompleted = new CounterDataPoint[n];
    clientFailed = new CounterDataPoint[n];
    for (int p = 0; p < n; p++) {
      clientCompleted[p] =
          m.enabled() ? client.labelValues(Integer.toString(p), "completed") : Noop.INSTANCE;
      clientFailed[p] =
          m.enabled() ? client.labelValues(Integer.toString(p), "failed") : Noop.INSTANCE;
    }
    this.noop = new Target(null, null, null);
  }

  /** Records nothing. */
  public static IngressMetrics none() {
    return None.NONE;
  }

  private static final class None {
    static final IngressMetrics NONE = Metrics.disabled(0).ingress;
  }

  /** A request arrived on an invocation path ({@code /{service}/…}). */
  public void admitted() {
    admitted.inc();
  }

  /**
   * The data points of a request to a known handler, resolved once per (service, handler, type).
   */
  public Target target(String service, String handler, boolean send) {
    if (!m.enabled()) {
      return noop;
    }
    ServiceEntry s = service(service);
    Target[] t = s.handlers.get(handler);
    if (t == null) {
      t =
          s.handlers.computeIfAbsent(
              handler,
              h ->
                  new Target[] {
                    new Target(s, duration.labelValues(service, h, "call"), CALL),
                    new Target(s, duration.labelValues(service, h, "send"), SEND)
                  });
    }
    return t[send ? 1 : 0];
  }

  /** A request to the known {@code service} refused before it reached a handler. */
  public void requestError(String service, boolean send) {
    if (m.enabled()) {
      service(service).requestError[send ? 1 : 0].inc();
    }
  }

  /** A record for {@code partition} appended on behalf of a client request ({@code ok}) or not. */
  public void clientRequest(int partition, boolean ok) {
    if (partition >= 0 && partition < clientCompleted.length) {
      (ok ? clientCompleted : clientFailed)[partition].inc();
    }
  }

  private static final String CALL = "call";
  private static final String SEND = "send";

  private ServiceEntry service(String name) {
    ServiceEntry s = services.get(name);
    return s != null ? s : services.computeIfAbsent(name, n -> new ServiceEntry(requests, n));
  }

  private static final class ServiceEntry {
    final CounterDataPoint[] completed;
    final CounterDataPoint[] invocationError;
    final CounterDataPoint[] requestError;
    final ConcurrentHashMap<String, Target[]> handlers = new ConcurrentHashMap<>();

    ServiceEntry(Counter requests, String service) {
      completed = both(requests, "completed", service);
      invocationError = both(requests, "invocation_error", service);
      requestError = both(requests, "request_error", service);
    }

    private static CounterDataPoint[] both(Counter c, String status, String service) {
      return new CounterDataPoint[] {
        c.labelValues(status, service, CALL), c.labelValues(status, service, SEND)
      };
    }
  }

  /** One (service, handler, call or send): what a dispatched request records. */
  public static final class Target {
    private final ServiceEntry service;
    private final DistributionDataPoint duration;
    private final int type;

    private Target(ServiceEntry service, DistributionDataPoint duration, String type) {
      this.service = service;
      this.duration = duration;
      this.type = SEND.equals(type) ? 1 : 0;
    }

    /** The start of the request's latency: now, or 0 when nothing is recorded. */
    public long start() {
      return service == null ? 0 : System.nanoTime();
    }

    /**
     * Answered with {@code status}: 2xx is {@code completed}; otherwise a call's answer comes from
     * its invocation's failure ({@code invocation_error}), a send's is a {@code request_error}.
     */
    public void answered(long start, int status) {
      if (service == null) {
        return;
      }
      if (status >= 200 && status < 300) {
        service.completed[type].inc();
      } else if (type == 0) {
        service.invocationError[type].inc();
      } else {
        service.requestError[type].inc();
      }
      duration.observe((System.nanoTime() - start) / 1e9);
    }

    /** Refused by the core (e.g. the log stopped, a workflow already running). */
    public void requestError() {
      if (service != null) {
        service.requestError[type].inc();
      }
    }
  }
}
