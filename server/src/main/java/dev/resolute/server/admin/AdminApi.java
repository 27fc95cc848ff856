package dev.resolute.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.server.api.Dispatcher;
import dev.resolute.server.discovery.DiscoveryClient;
import dev.resolute.server.http.HttpHandler;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.kafka.KafkaMetadata;
import dev.resolute.server.partition.ScheduleDispatcher;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.ui.WebUi;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API (port 9070), shaped like restate-server 1.7.12: unversioned paths plus {@code
 * /v2}..{@code /v4} prefixes ({@code /v1} rejected). The version prefix is read here; the rest is a
 * {@link RouteTable} filled by one class per resource ({@link DeploymentsResource}, {@link
 * ServicesResource}, {@link InvocationsResource}) plus {@code /health} and {@code /version}.
 */
public final class AdminApi implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  static final int MIN_API = 2;
  static final int MAX_API = 4;

  private final String version;
  private final String ingressEndpoint;
  private final String clusterName;
  private final RouteTable routes = new RouteTable();
  private final DeploymentsResource deployments;

  /**
   * @param version our server version string for {@code GET /version}
   * @param ingressEndpoint advertised ingress URL, e.g. "http://127.0.0.1:8080/"
   * @param clusterName {@code cluster-name} of the configuration, for {@code GET /cluster-health}
   * @param executor runs registry writes (file I/O); not a Netty event loop
   */
  public AdminApi(
      SchemaRegistry registry,
      DiscoveryClient discovery,
      Dispatcher dispatcher,
      String version,
      String ingressEndpoint,
      String clusterName,
      Executor executor) {
    this.version = version;
    // restate-server advertises its ingress with a trailing slash
    this.ingressEndpoint = ingressEndpoint.endsWith("/") ? ingressEndpoint : ingressEndpoint + "/";
    this.clusterName = clusterName;
    AdminViews views = new AdminViews(registry);
    routes
        .on("GET", "/health", c -> AdminResponses.done(HttpResponse.of(200)))
        .on("GET", "/version", c -> AdminResponses.done(versionInfo()))
        .on("GET", "/cluster-health", c -> clusterHealth())
        .on("GET", "/openapi", c -> AdminResponses.done(openApi()));
    deployments = new DeploymentsResource(registry, discovery, executor, views);
    deployments.addTo(routes);
    new ServicesResource(registry, views, dispatcher, executor, this.ingressEndpoint).addTo(routes);
    new InvocationsResource(registry, dispatcher, Clock.systemUTC()).addTo(routes);
    // the web UI's entry point, as restate-server answers it (404 with the web UI disabled)
    routes
        .on("GET", "/", c -> AdminResponses.done(redirectToUi()))
        .on("GET", "/ui", c -> AdminResponses.done(redirectToUi()));
  }

  /**
   * The {@code GET /openapi} document, built at its first request so it lists the routes the {@code
   * with…} calls added too.
   */
  private volatile byte[] openApi;

  /** Serves {@code /ui/…} (dev.resolute.server.ui); null when {@code admin.disable-web-ui}. */
  private WebUi webUi = new WebUi();

  private HttpResponse redirectToUi() {
    return webUi == null
        ? HttpResponse.of(404)
        : HttpResponse.of(308).withHeader("location", "/ui/");
  }

  /** {@code admin.disable-web-ui}: true makes {@code /}, {@code /ui} and {@code /ui/…} 404. */
  public AdminApi withWebUi(boolean enabled) {
    this.webUi = enabled ? new WebUi() : null;
    return this;
  }

  /** The operations this API answers, for tests that hold them against restate-server's. */
  List<RouteTable.Operation> operations() {
    return routes.operations();
  }

  public AdminApi(
      SchemaRegistry registry,
      DiscoveryClient discovery,
      Dispatcher dispatcher,
      String version,
      String ingressEndpoint,
      String clusterName) {
    this(
        registry,
        discovery,
        dispatcher,
        version,
        ingressEndpoint,
        clusterName,
        ForkJoinPool.commonPool());
  }

  /**
   * Serves {@code /subscriptions} and {@code /kafka-clusters} from {@code kafka}; without this call
   * they answer 404.
   */
  public AdminApi withKafka(KafkaMetadata kafka, Executor executor) {
    new KafkaResource(kafka, executor).addTo(routes);
    return this;
  }

  public AdminApi(
      SchemaRegistry registry,
      DiscoveryClient discovery,
      Dispatcher dispatcher,
      String version,
      String ingressEndpoint) {
    this(registry, discovery, dispatcher, version, ingressEndpoint, "localcluster");
  }

  /**
   * Serves {@code /schedules} (cron schedules, our extension) from {@code schedules}; without this
   * call it answers 404.
   */
  /**
   * Runs {@code hook} beside every registration and removal of a deployment (Resolute's manifest
   * extensions, {@link ManifestDeclarations}); without this call nothing does.
   */
  public AdminApi withDeploymentHook(DeploymentHook hook) {
    deployments.hook(hook);
    return this;
  }

  public AdminApi withSchedules(ScheduleDispatcher schedules) {
    new SchedulesResource(schedules, new SecureRandom()).addTo(routes);
    return this;
  }

  /**
   * Serves {@code PUT /limits/rules} and {@code POST /limits/rules/bulk-delete} (package {@code
   * limits}) through {@code log}; {@code book} reads the applied rule book. Without this call they
   * answer 404.
   */
  public AdminApi withLimits(
      dev.resolute.server.partition.RuleLog log,
      java.util.function.Supplier<dev.resolute.server.limits.RuleBook> book) {
    new LimitsResource(log, book).addTo(routes);
    return this;
  }

  /** Serves {@code POST /query} (SQL introspection, {@code dev.resolute.server.sql}) with it. */
  public AdminApi withQuery(HttpHandler query) {
    routes.on("POST", "/query", c -> query.handle(c.request()));
    return this;
  }

  @Override
  public CompletableFuture<HttpResponse> handle(HttpRequest req) {
    CompletableFuture<HttpResponse> f;
    try {
      f = route(req);
    } catch (RuntimeException e) {
      LOG.warn("admin request {} {} failed", req.method(), req.uri(), e);
      f = AdminResponses.done(AdminResponses.error(500, String.valueOf(e.getMessage())));
    }
    return f.thenApply(AdminApi::withVary);
  }

  /**
   * restate-server's compression layer marks every answer with a body {@code vary: accept-encoding}
   * (empty answers — 404, 405, 202, /health — carry none).
   */
  private static HttpResponse withVary(HttpResponse r) {
    if (r.body().length == 0) {
      return r;
    }
    for (var h : r.headers()) {
      if (h.getKey().equalsIgnoreCase("vary")) {
        return r;
      }
    }
    return r.withHeader("vary", "accept-encoding");
  }

  /** A single node that is its own metadata cluster, named as restate-server names it. */
  /** A single node is member 1 of its own cluster, as a single restate-server is. */
  private java.util.function.Supplier<List<Integer>> members = () -> List.of(1);

  private Executor clusterExecutor = Runnable::run;

  /**
   * Cluster mode: {@code GET /cluster-health} lists the live nodes' ids ({@code members}, which may
   * ask Kafka and block, so it runs on {@code executor}), and {@code GET /cluster} (a Resolute
   * extension) answers {@code view}: the nodes and each partition's leader.
   */
  public AdminApi withCluster(
      java.util.function.Supplier<List<Integer>> members,
      java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> view,
      Executor executor) {
    this.members = members;
    this.clusterExecutor = executor;
    routes.on(
        "GET",
        "/cluster",
        c ->
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return AdminResponses.json(200, view.get());
                  } catch (RuntimeException e) {
                    return AdminResponses.error(503, String.valueOf(e.getMessage()));
                  }
                },
                executor));
    return this;
  }

  private CompletableFuture<HttpResponse> clusterHealth() {
    return CompletableFuture.supplyAsync(
        () -> {
          List<Integer> live;
          try {
            live = members.get();
          } catch (RuntimeException e) {
            return AdminResponses.error(503, String.valueOf(e.getMessage()));
          }
          ObjectNode o = AdminViews.JSON.createObjectNode();
          o.put("cluster_name", clusterName);
          var arr = o.putObject("metadata_cluster_health").putArray("members");
          live.forEach(arr::add);
          return AdminResponses.json(200, o);
        },
        clusterExecutor);
  }

  private HttpResponse openApi() {
    byte[] doc = openApi;
    if (doc == null) {
      doc = AdminOpenApi.document(routes.operations(), version);
      openApi = doc;
    }
    return HttpResponse.bytes(200, "application/json", doc);
  }

  private CompletableFuture<HttpResponse> route(HttpRequest req) {
    if (req.path().startsWith("/ui/")) {
      return AdminResponses.done(webUi == null ? HttpResponse.of(404) : webUi.handle(req));
    }
    List<String> seg = new ArrayList<>();
    for (String s : req.segments()) {
      seg.add(HttpRequest.decodeComponent(s));
    }
    int apiVersion = MAX_API;
    // as restate-server: "v" and a number without leading zeros is a version prefix; "v0",
    // "v0003" or a number too long for an int is an ordinary (unknown) path segment, so 404
    if (!seg.isEmpty() && seg.get(0).matches("v[1-9][0-9]{0,8}")) {
      int v = Integer.parseInt(seg.get(0).substring(1));
      if (v < MIN_API) {
        return AdminResponses.done(
            HttpResponse.text(
                400,
                "Unsupported Admin API version V"
                    + v
                    + ". This server supports versions between V"
                    + MIN_API
                    + " and V"
                    + MAX_API
                    + "."));
      }
      if (v > MAX_API) {
        return AdminResponses.done(HttpResponse.of(404));
      }
      apiVersion = v;
      seg.remove(0);
    }
    return routes.dispatch(req, seg, apiVersion);
  }

  private HttpResponse versionInfo() {
    ObjectNode o = AdminViews.JSON.createObjectNode();
    o.put("version", version);
    o.put("min_admin_api_version", MIN_API);
    o.put("max_admin_api_version", MAX_API);
    o.put("ingress_endpoint", ingressEndpoint);
    o.putObject("features").put("protocol_v7", false);
    return AdminResponses.json(200, o);
  }
}
