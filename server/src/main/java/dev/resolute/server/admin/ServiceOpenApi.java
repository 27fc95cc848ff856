package dev.resolute.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.HandlerType;
import dev.resolute.server.schema.ServiceSchema;
import dev.resolute.server.schema.ServiceType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /services/{name}/openapi}: the OpenAPI 3.1 document of one service's ingress paths, in
 * the shape restate-server 1.7.12 generates (observed): for every public handler a call and a send
 * path, the deprecated attach/output paths by idempotency key (for a workflow, by workflow id for
 * its run handler only), request and response bodies from the manifest's JSON schemas as {@code
 * <handler>Request}/{@code <handler>Response} components. Object keys are sorted, as restate-server
 * writes them.
 */
final class ServiceOpenApi {
  private ServiceOpenApi() {}

  private static final String DOCS = "https://docs.restate.dev/invoke/http";

  /**
   * @param privateHandlers handlers the manifest itself marks private: they are left out (a service
   *     made private by the admin API keeps its paths, as in restate-server)
   */
  static JsonNode document(
      ServiceSchema s, java.util.Set<String> privateHandlers, String ingressEndpoint) {
    ObjectNode doc = AdminViews.JSON.createObjectNode();
    doc.put("openapi", "3.1.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", s.name());
    info.put("version", Integer.toString(s.revision()));
    if (s.documentation() != null) {
      info.put("description", s.documentation());
    }
    doc.putArray("servers")
        .addObject()
        .put("description", "Restate Ingress URL")
        .put("url", ingressEndpoint.endsWith("/") ? ingressEndpoint : ingressEndpoint + "/");
    ArrayNode tags = doc.putArray("tags");
    tag(tags, "Request Response", "Request response to handler");
    tag(tags, "Send", "Send to handler");
    tag(tags, "Attach", "Attach to invocation");
    tag(tags, "Get Output", "Get invocation output");
    ObjectNode components = doc.putObject("components");
    components(components);
    ObjectNode schemas = (ObjectNode) components.get("schemas");
    ObjectNode paths = doc.putObject("paths");
    boolean keyed = s.type() != ServiceType.SERVICE;
    boolean workflow = s.type() == ServiceType.WORKFLOW;
    String prefix = s.name() + (keyed ? "/{key}" : "");
    for (HandlerSchema h : s.handlers().values()) {
      if (privateHandlers.contains(h.name())) {
        continue;
      }
      String name = h.name();
      String hdoc = h.documentation();
      ObjectNode requestBody = requestBody(h, schemas);
      ObjectNode ok = okResponse(h, schemas);
      ObjectNode call = paths.putObject("/restate/call/" + prefix + "/" + name).putObject("post");
      call.put(
          "description",
          hdoc != null ? hdoc : "Call " + s.name() + " handler " + name + " and wait for response");
      call.put("operationId", name);
      ArrayNode callParams = call.putArray("parameters");
      if (keyed) {
        ref(callParams, "parameters", "key");
      }
      if (!workflow) {
        ref(callParams, "parameters", "idempotencyKeyHeader");
      }
      if (requestBody != null) {
        call.set("requestBody", requestBody);
      }
      ObjectNode callResponses = call.putObject("responses");
      callResponses.set("200", ok);
      refObject(callResponses, "default", "responses", "GenericError");
      call.put("summary", name);

      ObjectNode send = paths.putObject("/restate/send/" + prefix + "/" + name).putObject("post");
      send.put(
          "description", hdoc != null ? hdoc : "Send request to " + s.name() + " handler " + name);
      send.put("operationId", name + "Send");
      ArrayNode sendParams = send.putArray("parameters");
      sendParams.addAll(callParams.deepCopy());
      ref(sendParams, "parameters", "delay");
      if (requestBody != null) {
        send.set("requestBody", requestBody.deepCopy());
      }
      ObjectNode sendResponses = send.putObject("responses");
      refObject(sendResponses, "200", "responses", "Send");
      refObject(sendResponses, "202", "responses", "Send");
      refObject(sendResponses, "default", "responses", "GenericError");
      send.put("summary", name);
      send.putArray("tags").add("Send");

      if (workflow && h.type() == HandlerType.WORKFLOW) {
        String base = "/restate/workflow/" + s.name() + "/{key}/";
        lookup(
            paths.putObject(base + "attach").putObject("get"),
            "Deprecated: use POST /restate/lookup with a workflow target to obtain an invocation"
                + " id, then GET /restate/attach/{invocationId}. "
                + (hdoc != null
                    ? hdoc
                    : "Attach to the running instance of "
                        + s.name()
                        + "/"
                        + name
                        + " workflow and wait to finish"),
            name + "Attach",
            List.of("key"),
            ok,
            false,
            "Attach",
            name);
        lookup(
            paths.putObject(base + "output").putObject("get"),
            "Deprecated: use POST /restate/lookup with a workflow target to obtain an invocation"
                + " id, then GET /restate/output/{invocationId}. "
                + (hdoc != null
                    ? hdoc
                    : "Get output of the " + s.name() + "/" + name + " workflow"),
            name + "Output",
            List.of("key"),
            ok,
            true,
            "Get Output",
            name);
      } else if (!workflow) {
        String base = "/restate/invocation/" + prefix + "/" + name + "/{idempotencyKey}/";
        List<String> params =
            keyed ? List.of("key", "idempotencyKeyPath") : List.of("idempotencyKeyPath");
        lookup(
            paths.putObject(base + "attach").putObject("get"),
            "Deprecated: use POST /restate/lookup with idempotency information to obtain an"
                + " invocation id, then GET /restate/attach/{invocationId}. "
                + (hdoc != null
                    ? hdoc
                    : "Attach to a running instance of "
                        + s.name()
                        + "/"
                        + name
                        + " using the idempotency key and wait to finish"),
            name + "Attach",
            params,
            ok,
            false,
            "Attach",
            name);
        lookup(
            paths.putObject(base + "output").putObject("get"),
            "Deprecated: use POST /restate/lookup with with idempotency information to obtain an"
                + " invocation id, then GET /restate/output/{invocationId}. "
                + (hdoc != null
                    ? hdoc
                    : "Get output of a running instance of "
                        + s.name()
                        + "/"
                        + name
                        + " using idempotency key"),
            name + "Output",
            params,
            ok,
            true,
            "Get Output",
            name);
      }
    }
    return sorted(doc);
  }

  private static void lookup(
      ObjectNode op,
      String description,
      String operationId,
      List<String> params,
      ObjectNode ok,
      boolean output,
      String tag,
      String summary) {
    op.put("deprecated", true);
    op.put("description", description);
    op.put("operationId", operationId);
    ArrayNode p = op.putArray("parameters");
    for (String name : params) {
      ref(p, "parameters", name);
    }
    ObjectNode responses = op.putObject("responses");
    responses.set("200", ok.deepCopy());
    refObject(responses, "404", "responses", "InvocationNotFoundError");
    if (output) {
      refObject(responses, "470", "responses", "InvocationNotReadyError");
    }
    refObject(responses, "default", "responses", "GenericError");
    op.put("summary", summary);
    op.putArray("tags").add(tag);
  }

  /** The request body: none when the handler takes no input; a schema component when it has one. */
  private static ObjectNode requestBody(HandlerSchema h, ObjectNode schemas) {
    if (h.inputContentType() == null) {
      return null;
    }
    ObjectNode body = AdminViews.JSON.createObjectNode();
    ObjectNode media = body.putObject("content").putObject(h.inputContentType());
    if (h.inputJsonSchema() != null) {
      schemas.set(h.name() + "Request", h.inputJsonSchema());
      media.putObject("schema").put("$ref", "#/components/schemas/" + h.name() + "Request");
    } else {
      media.putObject("schema");
    }
    body.put("required", h.inputRequired());
    return body;
  }

  /** The 200 answer of a call: "Empty" when the handler has no output. */
  private static ObjectNode okResponse(HandlerSchema h, ObjectNode schemas) {
    ObjectNode ok = AdminViews.JSON.createObjectNode();
    if (h.outputContentType() == null) {
      ok.put("description", "Empty");
      return ok;
    }
    ObjectNode media = ok.putObject("content").putObject(h.outputContentType());
    if (h.outputJsonSchema() != null) {
      schemas.set(h.name() + "Response", h.outputJsonSchema());
      media.putObject("schema").put("$ref", "#/components/schemas/" + h.name() + "Response");
    } else {
      media.putObject("schema");
    }
    ok.put("description", "");
    return ok;
  }

  private static void tag(ArrayNode tags, String name, String description) {
    ObjectNode t = tags.addObject();
    t.put("description", description);
    ObjectNode docs = t.putObject("externalDocs");
    docs.putNull("description");
    docs.put("url", DOCS);
    t.put("name", name);
  }

  private static void ref(ArrayNode arr, String kind, String name) {
    arr.addObject().put("$ref", "#/components/" + kind + "/" + name);
  }

  private static void refObject(ObjectNode o, String field, String kind, String name) {
    o.putObject(field).put("$ref", "#/components/" + kind + "/" + name);
  }

  /** The parameters, responses and error schema every service document shares. */
  private static void components(ObjectNode c) {
    ObjectNode params = c.putObject("parameters");
    ObjectNode delay = params.putObject("delay");
    delay.put(
        "description",
        "Specify the delay to execute the operation, for more info check the [delay"
            + " documentation](https://docs.restate.dev/invoke/http#sending-a-delayed-message-over-http)");
    delay.put("example", "10s");
    delay.put("in", "query");
    delay.put("name", "delay");
    delay.put("required", false);
    delay.putObject("schema").put("type", "string");
    ObjectNode ikh = params.putObject("idempotencyKeyHeader");
    ikh.put(
        "description",
        "Idempotency key to execute the request, for more details checkout the [idempotency key"
            + " documentation](https://docs.restate.dev/invoke/http#invoke-a-handler-idempotently).");
    ikh.put("in", "header");
    ikh.put("name", "idempotency-key");
    ikh.put("required", false);
    ikh.putObject("schema").put("type", "string");
    ObjectNode ikp = params.putObject("idempotencyKeyPath");
    ikp.put(
        "description",
        "Idempotency key used to execute the original request, for more details checkout the"
            + " [idempotency key"
            + " documentation](https://docs.restate.dev/invoke/http#invoke-a-handler-idempotently).");
    ikp.put("in", "path");
    ikp.put("name", "idempotencyKey");
    ikp.put("required", true);
    ikp.putObject("schema").put("type", "string");
    ObjectNode key = params.putObject("key");
    key.put("in", "path");
    key.put("name", "key");
    key.put("required", true);
    key.putObject("schema").put("type", "string");

    ObjectNode responses = c.putObject("responses");
    errorResponse(
        responses,
        "GenericError",
        "Error response",
        example(500, "Internal server error", "invocation"));
    errorResponse(
        responses,
        "InvocationNotFoundError",
        "Invocation not found",
        example(null, "invocation not found", "ingress"));
    errorResponse(
        responses,
        "InvocationNotReadyError",
        "Invocation still running, output is not ready yet",
        example(null, "the invocation exists but has not completed yet", "ingress"));
    ObjectNode send = responses.putObject("Send");
    ObjectNode sendJson = send.putObject("content").putObject("application/json");
    sendJson
        .putObject("example")
        .put("invocationId", "inv_1gdJBtdVEcM942bjcDmb1c1khoaJe11Hbz")
        .put("status", "Accepted");
    ObjectNode sendSchema = sendJson.putObject("schema");
    sendSchema.put("additionalProperties", false);
    ObjectNode sendProps = sendSchema.putObject("properties");
    sendProps
        .putObject("executionTime")
        .put("description", "Time when the invocation will be executed, in case 'delay' is used")
        .put("format", "date-time")
        .put("type", "string");
    sendProps.putObject("invocationId").put("type", "string");
    ObjectNode status = sendProps.putObject("status");
    status.putArray("enum").add("Accepted").add("PreviouslyAccepted");
    status.put("type", "string");
    sendSchema.putArray("required").add("invocationId").add("status");
    sendSchema.put("title", "RestateSendResponse");
    sendSchema.put("type", "object");
    send.put("description", "Send response");

    ObjectNode schemas = c.putObject("schemas");
    ObjectNode err = schemas.putObject("RestateError");
    err.put("additionalProperties", false);
    err.put(
        "description",
        "Generic error used by Restate to propagate Terminal errors/exceptions back to callers");
    ObjectNode props = err.putObject("properties");
    props.putObject("code").put("title", "error code").put("type", "number");
    props.putObject("message").put("title", "Error message").put("type", "string");
    ObjectNode metadata = props.putObject("metadata");
    metadata.putObject("additionalProperties").put("type", "string");
    metadata.put("title", "Additional metadata map").put("type", "object");
    ObjectNode source = props.putObject("source");
    source.put(
        "description",
        "Discriminates errors generated by the ingress from the terminal outcome of the"
            + " invocation. 'ingress' errors carry a Restate-controlled HTTP status code following"
            + " the usual HTTP semantics, while 'invocation' errors carry a user-controlled status"
            + " code. Also available in the 'x-restate-error-source' response header.");
    source.putArray("enum").add("ingress").add("invocation");
    source.put("title", "Error source").put("type", "string");
    props.putObject("stacktrace").put("title", "Stacktrace of the error").put("type", "string");
    err.putArray("required").add("message").add("source");
    err.put("title", "RestateError");
    err.put("type", "object");
  }

  private static ObjectNode example(Integer code, String message, String source) {
    ObjectNode e = AdminViews.JSON.createObjectNode();
    if (code != null) {
      e.put("code", code);
    }
    e.put("message", message);
    e.put("source", source);
    return e;
  }

  private static void errorResponse(
      ObjectNode responses, String name, String description, ObjectNode example) {
    ObjectNode r = responses.putObject(name);
    ObjectNode json = r.putObject("content").putObject("application/json");
    json.set("example", example);
    json.putObject("schema").put("$ref", "#/components/schemas/RestateError");
    r.put("description", description);
  }

  /** A copy with the keys of every object sorted (arrays keep their order). */
  static JsonNode sorted(JsonNode n) {
    if (n.isObject()) {
      Map<String, JsonNode> m = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        m.put(e.getKey(), sorted(e.getValue()));
      }
      ObjectNode o = AdminViews.JSON.createObjectNode();
      m.forEach(o::set);
      return o;
    }
    if (n.isArray()) {
      List<JsonNode> items = new ArrayList<>();
      n.forEach(e -> items.add(sorted(e)));
      ArrayNode a = AdminViews.JSON.createArrayNode();
      a.addAll(items);
      return a;
    }
    return n;
  }
}
