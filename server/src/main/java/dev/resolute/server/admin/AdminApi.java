package dev.resolute.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PrefixedId;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.Dispatcher;
import dev.resolute.server.api.Failures;
import dev.resolute.server.discovery.DiscoveryClient;
import dev.resolute.server.http.HttpHandler;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.schema.DeploymentSchema;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.SchemaException;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.schema.ServiceSchema;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API (port 9070), shaped like restate-server 1.7.12: unversioned paths plus
 * {@code /v2}..{@code /v4} prefixes ({@code /v1} rejected).
 */
public final class AdminApi implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  static final int MIN_API = 2;
  static final int MAX_API = 4;

  private final SchemaRegistry registry;
  private final DiscoveryClient discovery;
  private final Dispatcher dispatcher;
  private final String version;
  private final String ingressEndpoint;
  private final Executor executor;
  private final AdminViews views;

  /**
   * @param version our server version string for {@code GET /version}
   * @param ingressEndpoint advertised ingress URL, e.g. "http://127.0.0.1:8080/"
   * @param executor runs registry writes (file I/O); not a Netty event loop
   */
  public AdminApi(SchemaRegistry registry, DiscoveryClient discovery, Dispatcher dispatcher, String version,
      String ingressEndpoint, Executor executor) {
    this.registry = registry;
    this.discovery = discovery;
    this.dispatcher = dispatcher;
    this.version = version;
    this.ingressEndpoint = ingressEndpoint;
    this.executor = executor;
    this.views = new AdminViews(registry);
  }

  public AdminApi(SchemaRegistry registry, DiscoveryClient discovery, Dispatcher dispatcher, String version,
      String ingressEndpoint) {
    this(registry, discovery, dispatcher, version, ingressEndpoint, ForkJoinPool.commonPool());
  }

  @Override
  public CompletableFuture<HttpResponse> handle(HttpRequest req) {
    try {
      return route(req);
    } catch (RuntimeException e) {
      LOG.warn("admin request {} {} failed", req.method(), req.uri(), e);
      return done(json(500, AdminViews.error(String.valueOf(e.getMessage()), null)));
    }
  }

  private CompletableFuture<HttpResponse> route(HttpRequest req) {
    List<String> seg = new ArrayList<>();
    for (String s : req.segments()) {
      seg.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
    }
    int apiVersion = MAX_API;
    boolean explicitVersion = false;
    if (!seg.isEmpty() && seg.get(0).matches("v[0-9]+")) {
      int v = Integer.parseInt(seg.get(0).substring(1));
      if (v < MIN_API) {
        return done(HttpResponse.text(400, "Unsupported Admin API version V" + v
            + ". This server supports versions between V" + MIN_API + " and V" + MAX_API + "."));
      }
      if (v > MAX_API) {
        return done(HttpResponse.of(404));
      }
      apiVersion = v;
      explicitVersion = true;
      seg.remove(0);
    }
    String m = req.method();
    int n = seg.size();
    if (n == 0) {
      return done(HttpResponse.of(404));
    }
    switch (seg.get(0)) {
      case "health":
        return n == 1 ? (m.equals("GET") ? done(HttpResponse.of(200)) : notAllowed()) : notFound();
      case "version":
        return n == 1 ? (m.equals("GET") ? done(versionInfo()) : notAllowed()) : notFound();
      case "deployments":
        if (n == 1) {
          return switch (m) {
            case "GET" -> done(listDeployments());
            case "POST" -> register(req, explicitVersion ? apiVersion : MAX_API);
            default -> notAllowed();
          };
        }
        if (n == 2) {
          return switch (m) {
            case "GET" -> done(getDeployment(seg.get(1)));
            case "DELETE" -> deleteDeployment(seg.get(1), "true".equals(req.query().get("force")));
            case "PUT" -> done(json(405, AdminViews.error("PUT deployment is deprecated, use PATCH instead", null)));
            default -> notAllowed();
          };
        }
        return notFound();
      case "services":
        if (!m.equals("GET")) {
          return n <= 4 ? notAllowed() : notFound();
        }
        return switch (n) {
          case 1 -> done(listServices());
          case 2 -> done(getService(seg.get(1)));
          case 3 -> seg.get(2).equals("handlers") ? done(listHandlers(seg.get(1))) : notFound();
          case 4 -> seg.get(2).equals("handlers") ? done(getHandler(seg.get(1), seg.get(3))) : notFound();
          default -> notFound();
        };
      case "invocations":
        if (n == 2) {
          return m.equals("DELETE") ? deleteInvocation(req, seg.get(1)) : notAllowed();
        }
        if (n == 3 && (seg.get(2).equals("cancel") || seg.get(2).equals("kill"))) {
          return m.equals("PATCH") ? terminate(seg.get(1), seg.get(2).equals("kill")) : notAllowed();
        }
        if (n == 3 && MANAGEMENT.containsKey(seg.get(2))) {
          return m.equals("PATCH") ? manage(req, seg.get(1), MANAGEMENT.get(seg.get(2))) : notAllowed();
        }
        return notFound();
      default:
        return notFound();
    }
  }

  // ------------------------------------------------------------------ handlers

  private HttpResponse versionInfo() {
    ObjectNode o = AdminViews.JSON.createObjectNode();
    o.put("version", version);
    o.put("min_admin_api_version", MIN_API);
    o.put("max_admin_api_version", MAX_API);
    o.put("ingress_endpoint", ingressEndpoint);
    o.putObject("features").put("protocol_v7", false);
    return json(200, o);
  }

  private CompletableFuture<HttpResponse> register(HttpRequest req, int apiVersion) {
    JsonNode body;
    try {
      body = AdminViews.JSON.readTree(req.body());
    } catch (Exception e) {
      return done(HttpResponse.text(400, "Failed to parse the request body as JSON: " + firstLine(e.getMessage())));
    }
    if (body == null || !body.isObject() || !(body.hasNonNull("uri") || body.hasNonNull("arn"))) {
      return done(HttpResponse.text(422, "Failed to deserialize the JSON body into the target type: data did not"
          + " match any variant of untagged enum RegisterDeploymentRequest"));
    }
    if (!body.hasNonNull("uri")) {
      return done(json(400, AdminViews.error("Lambda deployments are not supported by this server", null)));
    }
    String uriText = body.get("uri").asText();
    URI uri;
    try {
      uri = new URI(uriText);
    } catch (Exception e) {
      uri = null;
    }
    if (uri == null || !uri.isAbsolute() || uri.getHost() == null) {
      return done(json(400, AdminViews.error("The request field 'uri' is invalid. Reason: The provided uri " + uriText
          + " is not absolute, only absolute URIs can be used.", null)));
    }
    boolean force = body.has("force") ? body.get("force").asBoolean() : apiVersion <= 2;
    boolean breaking = body.path("breaking").asBoolean(false);
    boolean dryRun = body.path("dry_run").asBoolean(false);
    boolean http11 = body.path("use_http_11").asBoolean(false);
    Map<String, String> headers = AdminViews.stringMap(body.get("additional_headers"));
    Map<String, String> metadata = AdminViews.stringMap(body.get("metadata"));
    String normalized = DiscoveryClient.normalize(uri);
    Optional<DeploymentSchema> existing = registry.deploymentByUri(normalized);
    if (existing.isPresent() && !force) {
      DeploymentSchema d = existing.get();
      return done(json(apiVersion <= 2 ? 201 : 200,
          views.registerResponse(d, registry.deploymentServices(d.id())))
          .withHeader("location", "deployments/" + d.id()));
    }
    return discovery.discover(uri, headers, http11)
        .thenApplyAsync(ep -> {
          try {
            return registry.register(ep, headers, metadata, force, breaking, dryRun);
          } catch (SchemaException e) {
            throw new CompletionException(e);
          }
        }, executor)
        .handle((r, err) -> {
          if (err != null) {
            return errorResponse(err);
          }
          int status = r.created() || apiVersion <= 2 ? 201 : 200;
          if (dryRun) {
            status = 200;
          }
          LOG.info("registered deployment {} at {} ({} services)", r.deployment().id(), r.deployment().uri(),
              r.services().size());
          return json(status, views.registerResponse(r.deployment(), r.services()))
              .withHeader("location", "deployments/" + r.deployment().id());
        });
  }

  private HttpResponse listDeployments() {
    ObjectNode o = AdminViews.JSON.createObjectNode();
    var arr = o.putArray("deployments");
    for (DeploymentSchema d : registry.deployments()) {
      arr.add(views.deployment(d, false));
    }
    return json(200, o);
  }

  private HttpResponse getDeployment(String id) {
    HttpResponse bad = checkDeploymentId(id);
    if (bad != null) {
      return bad;
    }
    return registry.deployment(id).map(d -> json(200, views.deployment(d, true)))
        .orElseGet(() -> json(404, AdminViews.error("The requested deployment '" + id + "' does not exist", null)));
  }

  private CompletableFuture<HttpResponse> deleteDeployment(String id, boolean force) {
    HttpResponse bad = checkDeploymentId(id);
    if (bad != null) {
      return done(bad);
    }
    if (!force) {
      return done(HttpResponse.of(501));
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        registry.removeDeployment(id);
        LOG.info("removed deployment {}", id);
        return HttpResponse.of(202);
      } catch (SchemaException e) {
        return errorResponse(e);
      }
    }, executor);
  }

  private static HttpResponse checkDeploymentId(String id) {
    try {
      PrefixedId.parse("dp", id);
      return null;
    } catch (RuntimeException e) {
      return HttpResponse.text(400, "Invalid URL: Cannot parse `deployment` with value `" + id + "`: bad format");
    }
  }

  private HttpResponse listServices() {
    ObjectNode o = AdminViews.JSON.createObjectNode();
    var arr = o.putArray("services");
    for (ServiceSchema s : registry.services()) {
      arr.add(serviceView(s));
    }
    return json(200, o);
  }

  private ObjectNode serviceView(ServiceSchema s) {
    DeploymentSchema d = registry.deployment(s.deploymentId()).orElseThrow();
    return views.service(d, s);
  }

  private HttpResponse getService(String name) {
    return registry.service(name).map(s -> json(200, serviceView(s))).orElseGet(() -> serviceNotFound(name));
  }

  private HttpResponse listHandlers(String name) {
    Optional<ServiceSchema> s = registry.service(name);
    if (s.isEmpty()) {
      return serviceNotFound(name);
    }
    ObjectNode o = AdminViews.JSON.createObjectNode();
    o.set("handlers", serviceView(s.get()).get("handlers"));
    return json(200, o);
  }

  private HttpResponse getHandler(String name, String handler) {
    Optional<ServiceSchema> s = registry.service(name);
    if (s.isEmpty()) {
      return serviceNotFound(name);
    }
    HandlerSchema h = s.get().handler(handler);
    if (h != null) {
      for (JsonNode n : serviceView(s.get()).get("handlers")) {
        if (n.path("name").asText().equals(handler)) {
          return json(200, n);
        }
      }
    }
    return json(404, AdminViews.error(
        "The requested handler '" + handler + "' on service '" + name + "' does not exist", null));
  }

  private static HttpResponse serviceNotFound(String name) {
    return json(404, AdminViews.error("The requested service '" + name + "' does not exist", null));
  }

  private static final java.util.Map<String, Dispatcher.Management> MANAGEMENT = java.util.Map.of(
      "resume", Dispatcher.Management.RESUME, "pause", Dispatcher.Management.PAUSE,
      "purge", Dispatcher.Management.PURGE, "purge-journal", Dispatcher.Management.PURGE_JOURNAL);

  /** resume (optionally {@code ?deployment=keep|latest|<current dp_ id>}), pause, purge, purge-journal. */
  private CompletableFuture<HttpResponse> manage(HttpRequest req, String idText, Dispatcher.Management op) {
    Optional<HttpResponse> bad = invalidInvocationId(idText);
    if (bad.isPresent()) {
      return done(bad.get());
    }
    InvocationId id = InvocationId.parse(idText);
    String deployment = req.query().get("deployment");
    if (op == Dispatcher.Management.RESUME && deployment != null && !deployment.equals("keep")
        && !deployment.equals("latest")) {
      // invocations always run on the latest deployment of their service here, so only that one can be named
      String reason = null;
      if (deployment.startsWith("dp_") && (deployment.length() < 4 || deployment.charAt(3) != '1')) {
        reason = "unrecognized codec version"; // restate-server's id parser, first check
      } else if (registry.deployments().stream().noneMatch(d -> d.id().equals(deployment))) {
        reason = "unknown deployment '" + deployment + "'";
      }
      if (reason != null) {
        return done(json(400, AdminViews.error("The query parameter 'deployment' is invalid. Reason: " + reason, null)));
      }
    }
    return dispatcher.manage(id, op).handle((status, err) -> {
      if (err == null) {
        return HttpResponse.of(status);
      }
      Throwable t = Failures.unwrap(err);
      return invocationError(t, idText);
    });
  }

  /**
   * The deprecated {@code DELETE /invocations/{id}?mode=cancel|kill|purge} (default cancel): as
   * restate-server 1.7.12, 202 once the request is submitted, whatever the invocation's state.
   */
  private CompletableFuture<HttpResponse> deleteInvocation(HttpRequest req, String idText) {
    String mode = req.query().getOrDefault("mode", "cancel");
    if (!List.of("Cancel", "cancel", "Kill", "kill", "Purge", "purge").contains(mode)) {
      return done(HttpResponse.text(400, "Failed to deserialize query string: mode: unknown variant `" + mode
          + "`, expected one of `Cancel`, `cancel`, `Kill`, `kill`, `Purge`, `purge`"));
    }
    Optional<HttpResponse> bad = invalidInvocationId(idText);
    if (bad.isPresent()) {
      return done(bad.get());
    }
    InvocationId id = InvocationId.parse(idText);
    CompletableFuture<?> f = switch (mode.toLowerCase(java.util.Locale.ROOT)) {
      case "kill" -> dispatcher.kill(id);
      case "purge" -> dispatcher.manage(id, Dispatcher.Management.PURGE);
      default -> dispatcher.cancel(id);
    };
    return f.handle((v, err) -> {
      Throwable t = Failures.unwrap(err);
      // unknown, completed or not-yet-started invocations are still "accepted"; only a failure to
      // submit is an error
      return t == null || t instanceof DispatchException ? HttpResponse.of(202)
          : json(500, AdminViews.error(String.valueOf(t.getMessage()), null));
    });
  }

  private CompletableFuture<HttpResponse> terminate(String idText, boolean kill) {
    Optional<HttpResponse> bad = invalidInvocationId(idText);
    if (bad.isPresent()) {
      return done(bad.get());
    }
    InvocationId id = InvocationId.parse(idText);
    // restate-server: kill → 200; cancel → 200 when done at once (not started yet), else 202
    CompletableFuture<Boolean> f = kill ? dispatcher.kill(id).thenApply(v -> true) : dispatcher.cancel(id);
    return f.handle((done, err) -> {
      if (err == null) {
        return HttpResponse.of(Boolean.TRUE.equals(done) ? 200 : 202);
      }
      Throwable t = Failures.unwrap(err);
      return invocationError(t, idText);
    });
  }

  // ------------------------------------------------------------------ helpers

  /** A 400 naming restate-server's reason when {@code idText} is not an invocation id, else empty. */
  private static Optional<HttpResponse> invalidInvocationId(String idText) {
    return InvocationId.invalidReason(idText).map(reason -> json(400,
        AdminViews.error("The request field 'invocation_id' is invalid. Reason: " + reason, null)));
  }

  /** The failure of a dispatch on invocation {@code idText}: its status and message, 404 worded as restate. */
  private static HttpResponse invocationError(Throwable t, String idText) {
    if (t instanceof DispatchException de) {
      String msg = de.status() == 404 ? "The requested invocation '" + idText + "' does not exist" : de.getMessage();
      return json(de.status(), AdminViews.error(msg, null));
    }
    return json(500, AdminViews.error(String.valueOf(t.getMessage()), null));
  }

  private static HttpResponse errorResponse(Throwable err) {
    Throwable t = Failures.unwrap(err);
    if (t instanceof SchemaException se) {
      LOG.info("admin request rejected: {}", se.getMessage());
      return json(se.status(), AdminViews.error(se.getMessage(), se.restateCode()));
    }
    LOG.warn("admin request failed", t);
    return json(500, AdminViews.error(String.valueOf(t.getMessage()), null));
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.split("\n")[0];
  }

  private static HttpResponse json(int status, JsonNode body) {
    try {
      return HttpResponse.bytes(status, "application/json", AdminViews.JSON.writeValueAsBytes(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static CompletableFuture<HttpResponse> done(HttpResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  private static CompletableFuture<HttpResponse> notFound() {
    return done(HttpResponse.of(404));
  }

  private static CompletableFuture<HttpResponse> notAllowed() {
    return done(HttpResponse.of(405));
  }
}
