package dev.resolute.server.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.ByteString;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.protocol.pb.Failure;
import dev.resolute.protocol.pb.FailureMetadata;
import dev.resolute.protocol.pb.Header;
import dev.resolute.protocol.pb.IdempotentRequestTarget;
import dev.resolute.protocol.pb.WorkflowTarget;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.HandlerType;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.schema.ServiceSchema;
import dev.resolute.server.schema.ServiceType;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The pieces of restate-server's serde shapes that journal entries share: bytes as arrays of
 * numbers, {@code Failure} ({@code {"code":500,"message":"…"}}, {@code metadata} only when there is
 * some), headers, invocation targets ({@code {"Service":{"name","handler","scope"}}}, objects and
 * workflows with their {@code handler_ty}), attach targets with their partition key, and the
 * retentions restate-server computes for a call.
 */
final class JsonParts {
  static final ObjectMapper JSON = new ObjectMapper();

  private JsonParts() {}

  static ArrayNode bytes(ByteString b) {
    ArrayNode a = JSON.createArrayNode();
    for (int i = 0; i < b.size(); i++) {
      a.add(b.byteAt(i) & 0xFF);
    }
    return a;
  }

  static String utf8(ByteString b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  static ObjectNode failure(Failure f) {
    ObjectNode o = JSON.createObjectNode();
    o.put("code", f.getCode());
    o.put("message", f.getMessage());
    if (f.getMetadataCount() > 0) {
      ArrayNode m = o.putArray("metadata");
      for (FailureMetadata md : f.getMetadataList()) {
        m.addObject().put("key", md.getKey()).put("value", md.getValue());
      }
    }
    return o;
  }

  /** {@code {"Success":[…]}}. */
  static ObjectNode success(ByteString value) {
    ObjectNode o = JSON.createObjectNode();
    o.set("Success", bytes(value));
    return o;
  }

  /** {@code {"Failure":{…}}}. */
  static ObjectNode failed(Failure f) {
    ObjectNode o = JSON.createObjectNode();
    o.set("Failure", failure(f));
    return o;
  }

  static ArrayNode headers(List<Header> list) {
    ArrayNode a = JSON.createArrayNode();
    for (Header h : list) {
      a.addObject().put("name", h.getKey()).put("value", h.getValue());
    }
    return a;
  }

  static ObjectNode duration(Duration d) {
    Duration v = d == null ? Duration.ZERO : d;
    return JSON.createObjectNode().put("secs", v.getSeconds()).put("nanos", v.getNano());
  }

  static JsonNode unsigned(long v) {
    return JSON.getNodeFactory().numberNode(new BigInteger(Long.toUnsignedString(v)));
  }

  static JsonNode textOrNull(String s) {
    return s == null ? JSON.getNodeFactory().nullNode() : TextNode.valueOf(s);
  }

  /**
   * A call's target as restate-server resolves it from the schema: a plain service, or an object or
   * workflow with the handler's type.
   */
  static ObjectNode target(
      String service, String handler, String key, String scope, SchemaRegistry registry) {
    ServiceSchema s = registry.service(service).orElse(null);
    HandlerSchema h = s == null ? null : s.handler(handler);
    ServiceType type =
        s != null ? s.type() : key.isEmpty() ? ServiceType.SERVICE : ServiceType.VIRTUAL_OBJECT;
    boolean shared = h != null && h.type() == HandlerType.SHARED;
    ObjectNode target = JSON.createObjectNode();
    ObjectNode body;
    switch (type) {
      case SERVICE -> {
        body = target.putObject("Service");
        body.put("name", service);
        body.put("handler", handler);
      }
      case VIRTUAL_OBJECT -> {
        body = target.putObject("VirtualObject");
        body.put("name", service);
        body.put("key", key);
        body.put("handler", handler);
        body.put("handler_ty", shared ? "Shared" : "Exclusive");
      }
      default -> {
        body = target.putObject("Workflow");
        body.put("name", service);
        body.put("key", key);
        body.put("handler", handler);
        body.put("handler_ty", shared ? "Shared" : "Workflow");
      }
    }
    body.set("scope", textOrNull(scope));
    return target;
  }

  /** The completion and journal retention of a call, as restate-server's schema computes them. */
  record Retention(Duration completion, Duration journal) {}

  static Retention retention(
      String service, String handler, boolean idempotent, SchemaRegistry registry) {
    ServiceSchema s = registry.service(service).orElse(null);
    if (s == null) {
      return new Retention(Duration.ZERO, Duration.ZERO);
    }
    HandlerSchema h = s.handler(handler);
    boolean workflowRun =
        s.type() == ServiceType.WORKFLOW && h != null && h.type() == HandlerType.WORKFLOW;
    Duration journal =
        orZero(
            h != null && h.journalRetention() != null
                ? h.journalRetention()
                : s.journalRetention());
    if (workflowRun || idempotent) {
      Duration completion =
          orZero(
              workflowRun
                  ? (h.workflowCompletionRetention() != null
                      ? h.workflowCompletionRetention()
                      : s.workflowCompletionRetention())
                  : (h != null && h.idempotencyRetention() != null
                      ? h.idempotencyRetention()
                      : s.idempotencyRetention()));
      return new Retention(completion, journal.compareTo(completion) <= 0 ? journal : completion);
    }
    if (!journal.isZero()) {
      return new Retention(journal, journal);
    }
    return new Retention(Duration.ZERO, Duration.ZERO);
  }

  private static Duration orZero(Duration d) {
    return d == null ? Duration.ZERO : d;
  }

  /** An attach/get-output target by idempotent request: restate's {@code IdempotencyId}. */
  static ObjectNode idempotentTarget(IdempotentRequestTarget t) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode b = o.putObject("IdempotentRequest");
    b.put("service_name", t.getServiceName());
    b.set("service_key", textOrNull(t.hasServiceKey() ? t.getServiceKey() : null));
    b.put("service_handler", t.getHandlerName());
    b.put("idempotency_key", t.getIdempotencyKey());
    b.set("scope", textOrNull(t.hasScope() ? t.getScope() : null));
    long pk =
        t.hasServiceKey()
            ? PartitionKeys.keyed(t.getServiceKey())
            : PartitionKeys.idempotent(t.getServiceName(), t.getIdempotencyKey());
    b.set("partition_key", unsigned(pk));
    return o;
  }

  /** An attach/get-output target by workflow: restate's {@code ServiceId}. */
  static ObjectNode workflowTarget(WorkflowTarget t) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode b = o.putObject("Workflow");
    b.put("service_name", t.getWorkflowName());
    b.put("key", t.getWorkflowKey());
    b.set("partition_key", unsigned(PartitionKeys.keyed(t.getWorkflowKey())));
    b.set("scope", textOrNull(t.hasScope() ? t.getScope() : null));
    return o;
  }
}
