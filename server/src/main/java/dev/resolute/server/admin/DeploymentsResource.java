package dev.resolute.server.admin;

import static dev.resolute.server.admin.AdminResponses.done;
import static dev.resolute.server.admin.AdminResponses.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.protocol.id.PrefixedId;
import dev.resolute.server.discovery.DiscoveredEndpoint;
import dev.resolute.server.discovery.DiscoveryClient;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.schema.DeploymentSchema;
import dev.resolute.server.schema.SchemaException;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.schema.ServiceSchema;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /deployments} and {@code /deployments/{id}}: register (discovery), list, get, delete. */
final class DeploymentsResource {
  /**
   * A registration's result with the endpoint it discovered (a dry run's manifest lives only here).
   */
  private record Registered(DiscoveredEndpoint ep, SchemaRegistry.RegistrationResult result) {}

  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

  private final SchemaRegistry registry;
  private final DiscoveryClient discovery;
  private volatile DeploymentHook hook = DeploymentHook.NONE;
  private final Executor executor;
  private final AdminViews views;

  /**
   * @param executor runs registry writes (file I/O); not a Netty event loop
   */
  DeploymentsResource(
      SchemaRegistry registry, DiscoveryClient discovery, Executor executor, AdminViews views) {
    this.registry = registry;
    this.discovery = discovery;
    this.executor = executor;
    this.views = views;
  }

  void addTo(RouteTable routes) {
    routes
        .on("GET", "/deployments", c -> done(list()))
        .on("POST", "/deployments", c -> register(c.request().body(), c.apiVersion()))
        .on("GET", "/deployments/{id}", c -> done(get(c.param(0))))
        .on(
            "DELETE",
            "/deployments/{id}",
            c -> delete(c.param(0), "true".equals(c.request().query().get("force"))))
        .on("PATCH", "/deployments/{id}", c -> update(c.request(), c.param(0)))
        .on(
            "PUT",
            "/deployments/{id}",
            c ->
                done(AdminResponses.error(405, "PUT deployment is deprecated, use PATCH instead")));
  }

  private CompletableFuture<HttpResponse> register(byte[] requestBody, int apiVersion) {
    JsonNode body;
    try {
      body = AdminViews.JSON.readTree(requestBody);
    } catch (Exception e) {
      return done(
          HttpResponse.text(
              400, "Failed to parse the request body as JSON: " + firstLine(e.getMessage())));
    }
    if (body == null || !body.isObject() || !(body.hasNonNull("uri") || body.hasNonNull("arn"))) {
      return done(
          HttpResponse.text(
              422,
              "Failed to deserialize the JSON body into the target type: data did not"
                  + " match any variant of untagged enum RegisterDeploymentRequest"));
    }
    if (!body.hasNonNull("uri")) {
      return done(AdminResponses.error(400, "Lambda deployments are not supported by this server"));
    }
    String uriText = body.get("uri").asText();
    URI uri;
    try {
      uri = new URI(uriText);
    } catch (Exception e) {
      uri = null;
    }
    if (uri == null || !uri.isAbsolute() || uri.getHost() == null) {
      return done(
          AdminResponses.error(
              400,
              "The request field 'uri' is invalid. Reason: The provided uri "
                  + uriText
                  + " is not absolute, only absolute URIs can be used."));
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
      return done(
          json(
                  apiVersion <= 2 ? 201 : 200,
                  views.registerResponse(d, registry.deploymentServices(d.id())))
              .withHeader("location", "deployments/" + d.id()));
    }
    return discovery
        .discover(uri, headers, http11)
        .thenApplyAsync(
            ep -> {
              try {
                hook.check(ep);
                return new Registered(
                    ep, registry.register(ep, headers, metadata, force, breaking, dryRun));
              } catch (SchemaException e) {
                throw new CompletionException(e);
              }
            },
            executor)
        .thenCompose(reg -> dryRun ? CompletableFuture.completedFuture(reg) : registered(reg))
        .handle(
            (reg, err) -> {
              if (err != null) {
                return AdminResponses.schemaFailure(err);
              }
              SchemaRegistry.RegistrationResult r = reg.result();
              // a dry run answers as the registration would (201 for a new deployment, as
              // restate-server does): the restate CLI reads 200 as "already exists" and stops
              int status = r.created() || apiVersion <= 2 ? 201 : 200;
              if (dryRun) {
                // the dry run stored nothing: its handlers come from the discovered manifest
                return json(
                        status,
                        views.registerResponse(r.deployment(), r.services(), reg.ep().manifest()))
                    .withHeader("location", "deployments/" + r.deployment().id());
              }
              LOG.info(
                  "registered deployment {} at {} ({} services)",
                  r.deployment().id(),
                  r.deployment().uri(),
                  r.services().size());
              return json(status, views.registerResponse(r.deployment(), r.services()))
                  .withHeader("location", "deployments/" + r.deployment().id());
            });
  }

  /**
   * {@code PATCH /deployments/{id}} (restate-server's {@code UpdateDeploymentRequest}): a new
   * {@code uri} is discovered first (unreachable: 500 META0003), then stored with the new headers;
   * {@code overwrite} also replaces the services with what the deployment serves now; {@code
   * dry_run} stores nothing. A body with an {@code arn} is a Lambda deployment, not supported here.
   */
  private CompletableFuture<HttpResponse> update(HttpRequest req, String id) {
    HttpResponse bad = checkDeploymentId(id);
    if (bad != null) {
      return done(bad);
    }
    JsonNode body;
    try {
      body = JsonRequests.parse(req);
    } catch (JsonRequests.Refused r) {
      return done(r.response());
    }
    JsonNode headersNode = body.get("additional_headers");
    boolean headersOk =
        headersNode == null
            || headersNode.isNull()
            || (headersNode.isObject()
                && java.util.stream.StreamSupport.stream(headersNode.spliterator(), false)
                    .allMatch(JsonNode::isTextual));
    if (!body.isObject() || !headersOk) {
      return done(
          HttpResponse.text(
              422,
              "Failed to deserialize the JSON body into the target type: data did not"
                  + " match any variant of untagged enum UpdateDeploymentRequest"));
    }
    Optional<DeploymentSchema> current = registry.deployment(id);
    if (current.isEmpty()) {
      return done(
          AdminResponses.error(404, "The requested deployment '" + id + "' does not exist"));
    }
    URI uri = null;
    if (body.hasNonNull("uri")) {
      String text = body.get("uri").asText();
      try {
        uri = new URI(text);
      } catch (Exception e) {
        // not a URI: restate-server reads such a body as a Lambda update that changes nothing
        return done(json(200, views.deployment(current.get(), true)));
      }
      if (!uri.isAbsolute() || uri.getHost() == null) {
        return done(
            AdminResponses.error(
                400,
                "The request field 'uri' is invalid. Reason: The provided uri "
                    + text
                    + " is not absolute, only absolute URIs can be used."));
      }
    } else if (body.hasNonNull("arn")) {
      return done(AdminResponses.error(400, "Lambda deployments are not supported by this server"));
    }
    Map<String, String> headers =
        headersNode == null || headersNode.isNull() ? null : AdminViews.stringMap(headersNode);
    boolean overwrite = body.path("overwrite").asBoolean(false);
    boolean dryRun = body.path("dry_run").asBoolean(false);
    boolean http11 =
        body.hasNonNull("use_http_11")
            ? body.get("use_http_11").asBoolean()
            : current.get().http11();
    CompletableFuture<DiscoveredEndpoint> discovered;
    if (uri == null && !overwrite) {
      discovered = CompletableFuture.completedFuture(null);
    } else {
      URI target = uri != null ? uri : URI.create(current.get().uri());
      discovered =
          discovery.discover(
              target, headers != null ? headers : current.get().additionalHeaders(), http11);
    }
    return discovered
        .thenApplyAsync(
            ep -> {
              try {
                return registry.updateDeployment(id, ep, headers, overwrite, dryRun);
              } catch (SchemaException e) {
                throw new CompletionException(e);
              }
            },
            executor)
        .handle(
            (r, err) -> {
              if (err != null) {
                return AdminResponses.schemaFailure(err);
              }
              if (dryRun) {
                return json(200, views.deployment(r.deployment(), r.services()));
              }
              LOG.info("updated deployment {} at {}", id, r.deployment().uri());
              return json(200, views.deployment(r.deployment(), true));
            });
  }

  private HttpResponse list() {
    ObjectNode o = AdminViews.JSON.createObjectNode();
    var arr = o.putArray("deployments");
    for (DeploymentSchema d : registry.deployments()) {
      arr.add(views.deployment(d, false));
    }
    return json(200, o);
  }

  private HttpResponse get(String id) {
    HttpResponse bad = checkDeploymentId(id);
    if (bad != null) {
      return bad;
    }
    return registry
        .deployment(id)
        .map(d -> json(200, views.deployment(d, true)))
        .orElseGet(
            () ->
                AdminResponses.error(404, "The requested deployment '" + id + "' does not exist"));
  }

  private CompletableFuture<HttpResponse> delete(String id, boolean force) {
    HttpResponse bad = checkDeploymentId(id);
    if (bad != null) {
      return done(bad);
    }
    if (!force) {
      return done(HttpResponse.of(501));
    }
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                List<String> served =
                    registry.deploymentServices(id).stream().map(ServiceSchema::name).toList();
                registry.removeDeployment(id);
                LOG.info("removed deployment {}", id);
                Set<String> gone = new TreeSet<>();
                served.stream().filter(n -> registry.service(n).isEmpty()).forEach(gone::add);
                return gone;
              } catch (SchemaException e) {
                throw new CompletionException(e);
              }
            },
            executor)
        .thenCompose(gone -> hook.removed(gone))
        .handle((x, err) -> err == null ? HttpResponse.of(202) : AdminResponses.schemaFailure(err));
  }

  /** Sets what runs beside registrations and removals ({@link DeploymentHook#NONE} until set). */
  void hook(DeploymentHook hook) {
    this.hook = hook;
  }

  private CompletableFuture<Registered> registered(Registered reg) {
    return hook.registered(reg.ep()).thenApply(x -> reg);
  }

  private static HttpResponse checkDeploymentId(String id) {
    try {
      PrefixedId.parse("dp", id);
      return null;
    } catch (RuntimeException e) {
      return HttpResponse.text(
          400, "Invalid URL: Cannot parse `deployment` with value `" + id + "`: bad format");
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.split("\n")[0];
  }
}
