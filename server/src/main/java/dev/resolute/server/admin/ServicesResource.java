package dev.resolute.server.admin;

import static dev.resolute.server.admin.AdminResponses.done;
import static dev.resolute.server.admin.AdminResponses.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.server.api.Dispatcher;
import dev.resolute.server.api.Failures;
import dev.resolute.server.config.Durations;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.schema.DeploymentSchema;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.SchemaException;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.schema.ServiceOverride;
import dev.resolute.server.schema.ServiceSchema;
import dev.resolute.server.schema.ServiceType;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code /services[/{name}[/handlers[/{handler}]|/openapi|/state]]}: list and describe services,
 * change their options ({@code PATCH}, stored in the schema registry), replace an object's state,
 * and each service's OpenAPI document, answered as restate-server 1.7.12 does.
 */
final class ServicesResource {
  private static final Set<String> MODIFY_FIELDS =
      Set.of(
          "public",
          "idempotency_retention",
          "workflow_completion_retention",
          "journal_retention",
          "inactivity_timeout",
          "abort_timeout");

  private final SchemaRegistry registry;
  private final AdminViews views;
  private final Dispatcher dispatcher;
  private final Executor executor;
  private final String ingressEndpoint;

  /**
   * @param executor runs registry writes (file I/O); not a Netty event loop
   * @param ingressEndpoint the ingress URL a service's OpenAPI document names as its server
   */
  ServicesResource(
      SchemaRegistry registry,
      AdminViews views,
      Dispatcher dispatcher,
      Executor executor,
      String ingressEndpoint) {
    this.registry = registry;
    this.views = views;
    this.dispatcher = dispatcher;
    this.executor = executor;
    this.ingressEndpoint = ingressEndpoint;
  }

  void addTo(RouteTable routes) {
    routes
        .on("GET", "/services", c -> done(list()))
        .on("GET", "/services/{name}", c -> done(get(c.param(0))))
        .on("PATCH", "/services/{name}", c -> modify(c.request(), c.param(0)))
        .on("GET", "/services/{name}/handlers", c -> done(handlers(c.param(0))))
        .on(
            "GET",
            "/services/{name}/handlers/{handler}",
            c -> done(handler(c.param(0), c.param(1))))
        .on("GET", "/services/{name}/openapi", c -> done(openApi(c.param(0))))
        .on("POST", "/services/{name}/state", c -> replaceState(c.request(), c.param(0)));
  }

  private HttpResponse list() {
    ObjectNode o = AdminViews.JSON.createObjectNode();
    var arr = o.putArray("services");
    for (ServiceSchema s : registry.services()) {
      arr.add(view(s));
    }
    return json(200, o);
  }

  private ObjectNode view(ServiceSchema s) {
    DeploymentSchema d = registry.deployment(s.deploymentId()).orElseThrow();
    return views.service(d, s);
  }

  private HttpResponse get(String name) {
    return registry.service(name).map(s -> json(200, view(s))).orElseGet(() -> notFound(name));
  }

  private HttpResponse handlers(String name) {
    Optional<ServiceSchema> s = registry.service(name);
    if (s.isEmpty()) {
      return notFound(name);
    }
    ObjectNode o = AdminViews.JSON.createObjectNode();
    o.set("handlers", view(s.get()).get("handlers"));
    return json(200, o);
  }

  private HttpResponse handler(String name, String handler) {
    Optional<ServiceSchema> s = registry.service(name);
    if (s.isEmpty()) {
      return notFound(name);
    }
    HandlerSchema h = s.get().handler(handler);
    if (h != null) {
      for (JsonNode n : view(s.get()).get("handlers")) {
        if (n.path("name").asText().equals(handler)) {
          return json(200, n);
        }
      }
    }
    return AdminResponses.error(
        404, "The requested handler '" + handler + "' on service '" + name + "' does not exist");
  }

  private HttpResponse openApi(String name) {
    Optional<ServiceSchema> s = registry.service(name);
    if (s.isEmpty()) {
      return notFound(name);
    }
    java.util.Set<String> privateHandlers = new java.util.HashSet<>();
    registry
        .manifestService(s.get().deploymentId(), name)
        .ifPresent(
            m ->
                m.handlers().stream()
                    .filter(h -> Boolean.TRUE.equals(h.ingressPrivate()))
                    .forEach(h -> privateHandlers.add(h.name())));
    return json(200, ServiceOpenApi.document(s.get(), privateHandlers, ingressEndpoint));
  }

  /** {@code PATCH /services/{name}}: the body is restate-server's {@code ModifyServiceRequest}. */
  private CompletableFuture<HttpResponse> modify(HttpRequest req, String name) {
    ServiceOverride patch;
    try {
      JsonRequests.parse(req);
      patch = readModifyRequest(req.body());
    } catch (JsonRequests.Refused r) {
      return done(r.response());
    }
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return json(200, view(registry.modifyService(name, patch)));
          } catch (SchemaException e) {
            return AdminResponses.schemaFailure(e);
          }
        },
        executor);
  }

  /** The fields of a {@code ModifyServiceRequest} (revision 0: the registry sets the real one). */
  static ServiceOverride readModifyRequest(byte[] body) throws JsonRequests.Refused {
    Map<String, Object> v = new LinkedHashMap<>();
    JsonRequests.fields(
        body,
        "ModifyServiceRequest",
        new JsonRequests.FieldVisitor() {
          @Override
          public boolean knows(String field) {
            return MODIFY_FIELDS.contains(field);
          }

          @Override
          public void visit(String field, JsonParser p, JsonToken t)
              throws IOException, JsonRequests.Refused {
            if (field.equals("public")) {
              v.put(field, JsonRequests.bool(field, p, t));
            } else {
              v.put(field, duration(field, p, t));
            }
          }
        });
    return new ServiceOverride(
        0,
        (Boolean) v.get("public"),
        (Long) v.get("idempotency_retention"),
        (Long) v.get("workflow_completion_retention"),
        (Long) v.get("journal_retention"),
        (Long) v.get("inactivity_timeout"),
        (Long) v.get("abort_timeout"));
  }

  /** A nullable duration string read as restate-server reads it; milliseconds. */
  private static Long duration(String field, JsonParser p, JsonToken t)
      throws IOException, JsonRequests.Refused {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw JsonRequests.shape(
          field
              + ": "
              + dev.resolute.server.http.SerdeText.invalidType(p, t)
              + ", expected a human-friendly duration string "
              + dev.resolute.server.http.SerdeText.at(p));
    }
    String text = p.getText();
    try {
      return Durations.parse(text).toMillis();
    } catch (IllegalArgumentException e) {
      throw JsonRequests.shape(
          field + ": " + e.getMessage() + " " + dev.resolute.server.http.SerdeText.at(p));
    }
  }

  /**
   * {@code POST /services/{name}/state}: 202 once the replacement is durable; a service that is not
   * keyed is a 400, an unknown one is accepted (restate-server checks neither its existence nor the
   * version here: a mutation whose version does not match is dropped when applied).
   */
  private CompletableFuture<HttpResponse> replaceState(HttpRequest req, String name) {
    JsonNode body;
    String key;
    String version;
    Map<String, byte[]> state = new LinkedHashMap<>();
    try {
      body = JsonRequests.parse(req);
      if (!body.isObject()) {
        throw JsonRequests.shape("expected struct ModifyServiceStateRequest");
      }
      if (!body.has("object_key")) {
        throw JsonRequests.shape(
            "missing field `object_key` at line 1 column " + req.body().length);
      }
      if (!body.has("new_state")) {
        throw JsonRequests.shape("missing field `new_state` at line 1 column " + req.body().length);
      }
      key = body.get("object_key").asText();
      version = body.hasNonNull("version") ? body.get("version").asText() : null;
      var fields = body.get("new_state").fields();
      while (fields.hasNext()) {
        var e = fields.next();
        state.put(e.getKey(), stateValue(e.getKey(), e.getValue()));
      }
    } catch (JsonRequests.Refused r) {
      return done(r.response());
    }
    Optional<ServiceSchema> s = registry.service(name);
    if (s.isPresent() && s.get().type() == ServiceType.SERVICE) {
      return done(AdminResponses.error(400, "Cannot modify state for service type Service"));
    }
    return dispatcher
        .replaceState(name, key, state, version)
        .handle(
            (v, err) ->
                err == null
                    ? HttpResponse.of(202)
                    : AdminResponses.error(500, String.valueOf(Failures.unwrap(err).getMessage())));
  }

  /** A state value: an array of bytes (0..255), or a string taken as its UTF-8 bytes (serde). */
  private static byte[] stateValue(String name, JsonNode v) throws JsonRequests.Refused {
    if (v.isTextual()) {
      return v.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    if (!v.isArray()) {
      throw JsonRequests.shape(
          "new_state." + name + ": invalid type: " + v.getNodeType() + ", expected a sequence");
    }
    byte[] out = new byte[v.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode b = v.get(i);
      if (!b.isIntegralNumber() || b.asLong() < 0 || b.asLong() > 255) {
        throw JsonRequests.shape(
            "new_state."
                + name
                + "["
                + i
                + "]: invalid value: integer `"
                + b.asText()
                + "`, expected u8");
      }
      out[i] = (byte) b.asInt();
    }
    return out;
  }

  private static HttpResponse notFound(String name) {
    return AdminResponses.error(404, "The requested service '" + name + "' does not exist");
  }
}
