package dev.resolute.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /openapi}: the OpenAPI 3.1 document of this admin API, built from the route table, so
 * it lists exactly the operations this server answers (the {@code operationId}s are restate-server
 * 1.7.12's, so generated clients keep their method names). Request and response bodies are
 * described by their content type only; restate-server's document has the full schemas.
 */
final class AdminOpenApi {
  private AdminOpenApi() {}

  /** restate-server's operationId and tag of each (method, path). */
  private static final Map<String, String[]> OPERATIONS =
      Map.ofEntries(
          Map.entry("GET /health", new String[] {"health", "health"}),
          Map.entry("GET /version", new String[] {"version", "version"}),
          Map.entry("GET /cluster-health", new String[] {"cluster_health", "cluster_health"}),
          Map.entry("GET /deployments", new String[] {"list_deployments", "deployment"}),
          Map.entry("POST /deployments", new String[] {"create_deployment", "deployment"}),
          Map.entry("GET /deployments/{deployment}", new String[] {"get_deployment", "deployment"}),
          Map.entry(
              "DELETE /deployments/{deployment}", new String[] {"delete_deployment", "deployment"}),
          Map.entry(
              "PATCH /deployments/{deployment}", new String[] {"update_deployment", "deployment"}),
          Map.entry("GET /services", new String[] {"list_services", "service"}),
          Map.entry("GET /services/{service}", new String[] {"get_service", "service"}),
          Map.entry("PATCH /services/{service}", new String[] {"modify_service", "service"}),
          Map.entry(
              "GET /services/{service}/openapi", new String[] {"get_service_openapi", "service"}),
          Map.entry(
              "POST /services/{service}/state", new String[] {"modify_service_state", "service"}),
          Map.entry(
              "GET /services/{service}/handlers",
              new String[] {"list_service_handlers", "service_handler"}),
          Map.entry(
              "GET /services/{service}/handlers/{handler}",
              new String[] {"get_service_handler", "service_handler"}),
          Map.entry(
              "DELETE /invocations/{invocation_id}",
              new String[] {"delete_invocation", "invocation"}),
          Map.entry(
              "PATCH /invocations/{invocation_id}/cancel",
              new String[] {"cancel_invocation", "invocation"}),
          Map.entry(
              "PATCH /invocations/{invocation_id}/kill",
              new String[] {"kill_invocation", "invocation"}),
          Map.entry(
              "PATCH /invocations/{invocation_id}/pause",
              new String[] {"pause_invocation", "invocation"}),
          Map.entry(
              "PATCH /invocations/{invocation_id}/resume",
              new String[] {"resume_invocation", "invocation"}),
          Map.entry(
              "PATCH /invocations/{invocation_id}/purge",
              new String[] {"purge_invocation", "invocation"}),
          Map.entry(
              "PATCH /invocations/{invocation_id}/purge-journal",
              new String[] {"purge_journal", "invocation"}),
          Map.entry(
              "PATCH /invocations/{invocation_id}/restart-as-new",
              new String[] {"restart_as_new_invocation", "invocation"}),
          Map.entry("PUT /limits/rules", new String[] {"upsert_rules", "rule"}),
          Map.entry("POST /limits/rules/bulk-delete", new String[] {"bulk_delete_rules", "rule"}),
          // our extension: cron schedules (the server README, "Schedules")
          Map.entry("GET /schedules", new String[] {"list_schedules", "schedule"}),
          Map.entry("POST /schedules", new String[] {"create_schedule", "schedule"}),
          Map.entry("GET /schedules/{id}", new String[] {"get_schedule", "schedule"}),
          Map.entry("DELETE /schedules/{id}", new String[] {"delete_schedule", "schedule"}),
          Map.entry("GET /cluster", new String[] {"cluster_view", "cluster_health"}));

  /** Descriptions of the operations that are ours, not restate-server's. */
  private static final Map<String, String> EXTENSIONS =
      Map.of(
          "GET /schedules",
          "Resolute extension: list the cron schedules.",
          "POST /schedules",
          "Resolute extension: create a cron schedule {id?, cron, timezone?, target"
              + " ('service/handler[/key]' or {service, handler, key?}), body? | body_base64?,"
              + " content_type?, catch_up? (none | last | all)}; each firing is an invocation"
              + " with the idempotency key schedule/<id>/<fire time millis>.",
          "GET /schedules/{id}",
          "Resolute extension: one cron schedule, with its next and last fire times.",
          "DELETE /schedules/{id}",
          "Resolute extension: delete a cron schedule; no firing due after the answer is invoked.",
          "GET /cluster",
          "Resolute extension, cluster mode: the nodes in the cluster's Kafka group with the"
              + " partitions each leads, and each partition's leader (node, epoch) as applied"
              + " from the log on this node.");

  /**
   * The document as JSON bytes. Paths are written with restate-server's parameter names ({@code
   * {service}}, {@code {deployment}}, {@code {invocation_id}}); the UI redirects, {@code /openapi}
   * itself and the deprecated {@code PUT /deployments/{id}} are left out, as in restate-server's
   * document.
   */
  static byte[] document(List<RouteTable.Operation> operations, String version) {
    ObjectNode doc = AdminViews.JSON.createObjectNode();
    doc.put("openapi", "3.1.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Admin API");
    info.put(
        "description",
        "The admin operations of a Resolute server: deployments, services, invocations.");
    info.put("version", version);
    ObjectNode paths = doc.putObject("paths");
    for (RouteTable.Operation op : operations) {
      String path = canonicalPath(op.path());
      if (path.equals("/")
          || path.equals("/ui")
          || path.equals("/openapi")
          || (op.method().equals("PUT") && path.equals("/deployments/{deployment}"))) {
        continue;
      }
      String[] known = OPERATIONS.get(op.method() + " " + path);
      ObjectNode o =
          (paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path))
              .putObject(op.method().toLowerCase(Locale.ROOT));
      if (known != null) {
        o.putArray("tags").add(known[1]);
        o.put("operationId", known[0]);
      }
      String extension = EXTENSIONS.get(op.method() + " " + path);
      if (extension != null) {
        o.put("description", extension);
      }
      ArrayNode params = o.putArray("parameters");
      for (String seg : path.split("/")) {
        if (seg.startsWith("{")) {
          ObjectNode p = params.addObject();
          p.put("name", seg.substring(1, seg.length() - 1));
          p.put("in", "path");
          p.put("required", true);
          p.putObject("schema").put("type", "string");
        }
      }
      if (params.isEmpty()) {
        o.remove("parameters");
      }
      if (op.method().equals("POST")
          || op.method().equals("PATCH")
          || path.equals("/limits/rules")) {
        if (!path.startsWith("/invocations/")) {
          o.putObject("requestBody")
              .put("required", true)
              .putObject("content")
              .putObject("application/json")
              .putObject("schema")
              .put("type", "object");
        }
      }
      ObjectNode responses = o.putObject("responses");
      responses.putObject("200").put("description", "Success");
      responses.putObject("default").put("description", "Error: {message, restate_code}");
    }
    try {
      return AdminViews.JSON.writeValueAsBytes(doc);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A route pattern with restate-server's parameter names. */
  static String canonicalPath(String pattern) {
    String[] seg = pattern.split("/", -1);
    if (seg.length > 2 && seg[2].startsWith("{")) {
      seg[2] =
          switch (seg[1]) {
            case "services" -> "{service}";
            case "deployments" -> "{deployment}";
            case "invocations" -> "{invocation_id}";
            default -> seg[2];
          };
    }
    if (seg.length > 4 && seg[4].startsWith("{") && seg[3].equals("handlers")) {
      seg[4] = "{handler}";
    }
    return String.join("/", seg);
  }
}
