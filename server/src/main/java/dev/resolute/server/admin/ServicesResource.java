package dev.resolute.server.admin;

import static dev.resolute.server.admin.AdminResponses.done;
import static dev.resolute.server.admin.AdminResponses.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.schema.DeploymentSchema;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.schema.ServiceSchema;
import java.util.Optional;

/**
 * {@code /services[/{name}[/handlers[/{handler}]]]}, read only. Any other method on a path of up to
 * four segments is 405 and other GETs there 404, as this API has answered them.
 */
final class ServicesResource {
  private final SchemaRegistry registry;
  private final AdminViews views;

  ServicesResource(SchemaRegistry registry, AdminViews views) {
    this.registry = registry;
    this.views = views;
  }

  void addTo(RouteTable routes) {
    routes
        .on("GET", "/services", c -> done(list()))
        .on("GET", "/services/{name}", c -> done(get(c.param(0))))
        .on("GET", "/services/{name}/handlers", c -> done(handlers(c.param(0))))
        .on(
            "GET",
            "/services/{name}/handlers/{handler}",
            c -> done(handler(c.param(0), c.param(1))))
        .on("GET", "/services/{name}/{other}", c -> done(HttpResponse.of(404)))
        .on("GET", "/services/{name}/{other}/{more}", c -> done(HttpResponse.of(404)));
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

  private static HttpResponse notFound(String name) {
    return AdminResponses.error(404, "The requested service '" + name + "' does not exist");
  }
}
