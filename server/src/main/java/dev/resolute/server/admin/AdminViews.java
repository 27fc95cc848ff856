package dev.resolute.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.protocol.manifest.EndpointManifest;
import dev.resolute.server.api.ErrorCode;
import dev.resolute.server.schema.DeploymentSchema;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.Humantime;
import dev.resolute.server.schema.RetryPolicy;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.schema.ServiceSchema;
import dev.resolute.server.schema.ServiceType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** JSON bodies of the admin API, shaped like restate-server 1.7.12's (field names and order). */
final class AdminViews {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter CREATED_AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final SchemaRegistry registry;

  AdminViews(SchemaRegistry registry) {
    this.registry = registry;
  }

  ObjectNode registerResponse(DeploymentSchema d, List<ServiceSchema> services) {
    return registerResponse(d, services, null);
  }

  /**
   * The registration answer of {@code d}; its handlers come from {@code manifest} when given (a dry
   * run stores nothing, so the registry has no manifest for it), else from the registry.
   */
  ObjectNode registerResponse(
      DeploymentSchema d, List<ServiceSchema> services, EndpointManifest manifest) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", d.id());
    ArrayNode arr = o.putArray("services");
    for (ServiceSchema s : services) {
      arr.add(manifest == null ? service(d, s) : service(d, s, rawService(manifest, s.name())));
    }
    o.put("min_protocol_version", d.minProtocolVersion());
    o.put("max_protocol_version", d.maxProtocolVersion());
    putOpt(o, "sdk_version", d.sdkVersion());
    return o;
  }

  /** One entry of GET /deployments ({@code detailed}=false) or GET /deployments/{id}. */
  ObjectNode deployment(DeploymentSchema d, boolean detailed) {
    return deployment(d, detailed, detailed ? registry.deploymentServices(d.id()) : List.of());
  }

  /** GET /deployments/{id} of {@code d} serving {@code services} (e.g. a dry run's). */
  ObjectNode deployment(DeploymentSchema d, List<ServiceSchema> services) {
    return deployment(d, true, services);
  }

  private ObjectNode deployment(
      DeploymentSchema d, boolean detailed, List<ServiceSchema> services) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", d.id());
    o.put("uri", d.uri());
    o.put(
        "protocol_type",
        d.protocolMode() == EndpointManifest.ProtocolMode.REQUEST_RESPONSE
            ? "RequestResponse"
            : "BidiStream");
    o.put("http_version", d.http11() ? "HTTP/1.1" : "HTTP/2.0");
    if (!d.additionalHeaders().isEmpty()) {
      o.set("additional_headers", JSON.valueToTree(d.additionalHeaders()));
    }
    if (!d.metadata().isEmpty()) {
      o.set("metadata", JSON.valueToTree(d.metadata()));
    }
    o.put("created_at", CREATED_AT.format(Instant.ofEpochMilli(d.createdAtMillis())));
    o.put("min_protocol_version", d.minProtocolVersion());
    o.put("max_protocol_version", d.maxProtocolVersion());
    putOpt(o, "sdk_version", d.sdkVersion());
    ArrayNode arr = o.putArray("services");
    if (detailed) {
      for (ServiceSchema s : services) {
        arr.add(service(d, s));
      }
    } else {
      for (DeploymentSchema.ServiceRevision sr : d.services()) {
        arr.addObject().put("name", sr.name()).put("revision", sr.revision());
      }
    }
    return o;
  }

  /** ServiceMetadata of a service as registered by {@code d}. */
  ObjectNode service(DeploymentSchema d, ServiceSchema s) {
    return service(d, s, registry.manifestService(d.id(), s.name()).orElse(null));
  }

  /** The last service named {@code name} in {@code manifest} (the one a registration keeps). */
  private static EndpointManifest.Service rawService(EndpointManifest manifest, String name) {
    EndpointManifest.Service found = null;
    for (EndpointManifest.Service s : manifest.services()) {
      if (s.name().equals(name)) {
        found = s;
      }
    }
    return found;
  }

  private ObjectNode service(DeploymentSchema d, ServiceSchema s, EndpointManifest.Service raw) {
    boolean rr = d.protocolMode() == EndpointManifest.ProtocolMode.REQUEST_RESPONSE;
    ObjectNode o = JSON.createObjectNode();
    o.put("name", s.name());
    o.put("ty", s.type().adminName());
    ArrayNode hs = o.putArray("handlers");
    if (raw != null) {
      for (EndpointManifest.Handler h : raw.handlers()) {
        HandlerSchema hsch = s.handler(h.name());
        if (hsch != null) {
          hs.add(handler(s.type(), hsch, h, rr));
        }
      }
    }
    putOpt(o, "documentation", s.documentation());
    if (s.metadata() != null && !s.metadata().isEmpty()) {
      o.set("metadata", JSON.valueToTree(s.metadata()));
    }
    o.put("deployment_id", s.deploymentId());
    o.put("revision", s.revision());
    o.put("public", s.isPublic());
    o.put("idempotency_retention", Humantime.format(s.idempotencyRetention()));
    if (s.type() == ServiceType.WORKFLOW) {
      o.put("workflow_completion_retention", Humantime.format(s.workflowCompletionRetention()));
    }
    o.put("journal_retention", Humantime.format(s.journalRetention()));
    o.put("inactivity_timeout", Humantime.format(s.inactivityTimeout()));
    o.put("abort_timeout", Humantime.format(s.abortTimeout()));
    o.put("enable_lazy_state", s.enableLazyState());
    o.set("retry_policy", fullRetry(s.retryPolicy()));
    if (rr && raw != null && raw.inactivityTimeout() != null) {
      o.putArray("info")
          .addObject()
          .put("code", ErrorCode.RT0021.code())
          .put(
              "message",
              "The configured inactivity_timeout "
                  + Humantime.format(Duration.ofMillis(raw.inactivityTimeout()))
                  + " will not be applied because the service is exposed in Request/Response mode.");
    }
    return o;
  }

  /** HandlerMetadata: handler-level overrides only where the manifest set them. */
  ObjectNode handler(ServiceType st, HandlerSchema h, EndpointManifest.Handler raw, boolean rr) {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", h.name());
    if (st != ServiceType.SERVICE) {
      o.put("ty", h.type().adminName());
    }
    putOpt(o, "documentation", h.documentation());
    if (h.metadata() != null && !h.metadata().isEmpty()) {
      o.set("metadata", JSON.valueToTree(h.metadata()));
    }
    if (raw.idempotencyRetention() != null) {
      o.put("idempotency_retention", Humantime.format(h.idempotencyRetention()));
    }
    // a workflow handler's own completion retention shows on its service only (restate-server
    // 1.7.12, observed)
    if (raw.journalRetention() != null) {
      o.put("journal_retention", Humantime.format(h.journalRetention()));
    }
    if (raw.inactivityTimeout() != null && !rr) {
      o.put("inactivity_timeout", Humantime.format(h.inactivityTimeout()));
    }
    if (raw.abortTimeout() != null) {
      o.put("abort_timeout", Humantime.format(h.abortTimeout()));
    }
    if (raw.enableLazyState() != null) {
      o.put("enable_lazy_state", h.enableLazyState());
    }
    o.put("public", h.isPublic());
    o.put("input_description", inputDescription(raw.input()));
    o.put("output_description", outputDescription(raw.output()));
    if (h.inputJsonSchema() != null) {
      o.set("input_json_schema", h.inputJsonSchema());
    }
    if (h.outputJsonSchema() != null) {
      o.set("output_json_schema", h.outputJsonSchema());
    }
    ObjectNode rp = o.putObject("retry_policy");
    if (raw.retryPolicyInitialInterval() != null) {
      rp.put(
          "initial_interval",
          Humantime.format(Duration.ofMillis(raw.retryPolicyInitialInterval())));
    }
    if (raw.retryPolicyExponentiationFactor() != null) {
      rp.put("exponentiation_factor", raw.retryPolicyExponentiationFactor());
    }
    if (raw.retryPolicyMaxAttempts() != null) {
      rp.put("max_attempts", raw.retryPolicyMaxAttempts());
    } else {
      rp.putNull("max_attempts");
    }
    if (raw.retryPolicyMaxInterval() != null) {
      rp.put("max_interval", Humantime.format(Duration.ofMillis(raw.retryPolicyMaxInterval())));
    }
    if (raw.retryPolicyOnMaxAttempts() != null) {
      rp.put(
          "on_max_attempts",
          raw.retryPolicyOnMaxAttempts() == EndpointManifest.OnMaxAttempts.KILL ? "Kill" : "Pause");
    }
    if (rr && raw.inactivityTimeout() != null) {
      o.putArray("info")
          .addObject()
          .put("code", ErrorCode.RT0021.code())
          .put(
              "message",
              "The configured inactivity_timeout "
                  + Humantime.format(Duration.ofMillis(raw.inactivityTimeout()))
                  + " will not be applied because the handler is exposed in Request/Response mode.");
    }
    return o;
  }

  static ObjectNode fullRetry(RetryPolicy p) {
    ObjectNode rp = JSON.createObjectNode();
    rp.put("initial_interval", Humantime.format(p.initialInterval()));
    rp.put("exponentiation_factor", p.exponentiationFactor());
    if (p.maxAttempts() == null) {
      rp.putNull("max_attempts");
    } else {
      rp.put("max_attempts", p.maxAttempts());
    }
    rp.put("max_interval", Humantime.format(p.maxInterval()));
    rp.put("on_max_attempts", p.onMaxAttempts().adminName());
    return rp;
  }

  /**
   * As observed: absent input → "*\/*"; {} → "none"; JSON schema → "JSON 'title'" / "JSON type";
   * else the content type.
   */
  static String inputDescription(EndpointManifest.InputPayload in) {
    if (in == null) {
      return "*/*";
    }
    if (in.contentType() == null) {
      return "none";
    }
    return describe(in.contentType(), in.jsonSchema());
  }

  /**
   * As observed: absent output → "application/json"; {} → "none"; setContentTypeIfEmpty → "optional
   * ...".
   */
  static String outputDescription(EndpointManifest.OutputPayload out) {
    if (out == null) {
      return "application/json";
    }
    if (out.contentType() == null) {
      return "none";
    }
    String d = describe(out.contentType(), out.jsonSchema());
    return Boolean.TRUE.equals(out.setContentTypeIfEmpty()) ? "optional " + d : d;
  }

  private static String describe(String contentType, JsonNode schema) {
    if (schema != null && schema.isObject()) {
      JsonNode title = schema.get("title");
      if (title != null && title.isTextual()) {
        return "JSON '" + title.asText() + "'";
      }
      JsonNode type = schema.get("type");
      if (type != null && type.isTextual()) {
        return "JSON " + type.asText();
      }
    }
    return contentType;
  }

  private static void putOpt(ObjectNode o, String k, String v) {
    if (v != null) {
      o.put(k, v);
    }
  }

  static ObjectNode error(String message, String code) {
    ObjectNode o = JSON.createObjectNode();
    o.put("message", message);
    if (code == null) {
      o.putNull("restate_code");
    } else {
      o.put("restate_code", code);
    }
    return o;
  }

  static Map<String, String> stringMap(JsonNode n) {
    if (n == null || n.isNull() || !n.isObject()) {
      return Map.of();
    }
    java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
    n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }
}
