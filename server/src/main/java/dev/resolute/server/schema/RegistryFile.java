package dev.resolute.server.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resolute.protocol.manifest.EndpointManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the persisted registry ({@code schema-registry.json}, written by Jackson data binding) from
 * its JSON tree, field by field. Same result as data binding, without introspecting a dozen record
 * types and their annotations on a cold JVM: start-up waits for the registry, so reading it must
 * stay cheap (the measurement is in bench/HISTORY.md). Absent fields read as data binding reads
 * them: null for objects and boxed values, 0/false for primitives; unknown fields are ignored.
 */
final class RegistryFile {
  private RegistryFile() {}

  static SchemaRegistry.Persisted read(JsonNode root) {
    List<SchemaRegistry.DeploymentEntry> deployments =
        list(
            root.get("deployments"),
            e ->
                new SchemaRegistry.DeploymentEntry(
                    deployment(e.get("deployment")), manifest(e.get("manifest"))));
    Map<String, SchemaRegistry.ServiceRef> latest = null;
    JsonNode l = present(root.get("latest"));
    if (l != null) {
      latest = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> f : iterable(l)) {
        JsonNode r = f.getValue();
        latest.put(
            f.getKey(),
            present(r) == null
                ? null
                : new SchemaRegistry.ServiceRef(
                    str(r.get("deploymentId")), integer(r.get("revision"))));
      }
    }
    Map<String, ServiceOverride> overrides = null;
    JsonNode o = present(root.get("overrides"));
    if (o != null) {
      overrides = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> f : iterable(o)) {
        JsonNode v = f.getValue();
        if (present(v) == null) {
          overrides.put(f.getKey(), null);
        } else {
          overrides.put(
              f.getKey(),
              new ServiceOverride(
                  integer(v.get("revision")),
                  boxedBool(v.get("publicAccess")),
                  boxedLong(v.get("idempotencyRetentionMillis")),
                  boxedLong(v.get("workflowCompletionRetentionMillis")),
                  boxedLong(v.get("journalRetentionMillis")),
                  boxedLong(v.get("inactivityTimeoutMillis")),
                  boxedLong(v.get("abortTimeoutMillis"))));
        }
      }
    }
    return new SchemaRegistry.Persisted(
        integer(root.get("version")), deployments, latest, overrides);
  }

  private static DeploymentSchema deployment(JsonNode d) {
    if (present(d) == null) {
      return null;
    }
    return new DeploymentSchema(
        str(d.get("id")),
        str(d.get("uri")),
        enumOf(EndpointManifest.ProtocolMode.class, d.get("protocolMode")),
        bool(d.get("http11")),
        strings(d.get("additionalHeaders")),
        strings(d.get("metadata")),
        integer(d.get("minProtocolVersion")),
        integer(d.get("maxProtocolVersion")),
        str(d.get("sdkVersion")),
        longValue(d.get("createdAtMillis")),
        list(
            d.get("services"),
            s ->
                new DeploymentSchema.ServiceRevision(
                    str(s.get("name")), integer(s.get("revision")))));
  }

  static EndpointManifest manifest(JsonNode m) {
    if (present(m) == null) {
      return null;
    }
    return new EndpointManifest(
        enumOf(EndpointManifest.ProtocolMode.class, m.get("protocolMode")),
        boxedInt(m.get("minProtocolVersion")),
        boxedInt(m.get("maxProtocolVersion")),
        str(m.get("lambdaCompression")),
        list(m.get("services"), RegistryFile::service));
  }

  private static EndpointManifest.Service service(JsonNode s) {
    return new EndpointManifest.Service(
        str(s.get("name")),
        enumOf(EndpointManifest.ServiceType.class, s.get("ty")),
        list(s.get("handlers"), RegistryFile::handler),
        str(s.get("documentation")),
        strings(s.get("metadata")),
        boxedLong(s.get("inactivityTimeout")),
        boxedLong(s.get("abortTimeout")),
        boxedLong(s.get("journalRetention")),
        boxedLong(s.get("idempotencyRetention")),
        boxedBool(s.get("enableLazyState")),
        boxedBool(s.get("ingressPrivate")),
        boxedLong(s.get("retryPolicyInitialInterval")),
        boxedLong(s.get("retryPolicyMaxInterval")),
        boxedLong(s.get("retryPolicyMaxAttempts")),
        boxedDouble(s.get("retryPolicyExponentiationFactor")),
        enumOf(EndpointManifest.OnMaxAttempts.class, s.get("retryPolicyOnMaxAttempts")));
  }

  private static EndpointManifest.Handler handler(JsonNode h) {
    JsonNode in = present(h.get("input"));
    JsonNode out = present(h.get("output"));
    return new EndpointManifest.Handler(
        str(h.get("name")),
        enumOf(EndpointManifest.HandlerType.class, h.get("ty")),
        in == null
            ? null
            : new EndpointManifest.InputPayload(
                boxedBool(in.get("required")),
                str(in.get("contentType")),
                tree(in.get("jsonSchema"))),
        out == null
            ? null
            : new EndpointManifest.OutputPayload(
                str(out.get("contentType")),
                boxedBool(out.get("setContentTypeIfEmpty")),
                tree(out.get("jsonSchema"))),
        str(h.get("documentation")),
        strings(h.get("metadata")),
        boxedLong(h.get("inactivityTimeout")),
        boxedLong(h.get("abortTimeout")),
        boxedLong(h.get("journalRetention")),
        boxedLong(h.get("idempotencyRetention")),
        boxedLong(h.get("workflowCompletionRetention")),
        boxedBool(h.get("enableLazyState")),
        boxedBool(h.get("ingressPrivate")),
        boxedLong(h.get("retryPolicyInitialInterval")),
        boxedLong(h.get("retryPolicyMaxInterval")),
        boxedLong(h.get("retryPolicyMaxAttempts")),
        boxedDouble(h.get("retryPolicyExponentiationFactor")),
        enumOf(EndpointManifest.OnMaxAttempts.class, h.get("retryPolicyOnMaxAttempts")));
  }

  // ------------------------------------------------------------------ values

  /** The node, or null when absent or JSON null. */
  private static JsonNode present(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() ? null : n;
  }

  /** A JsonNode-typed field: data binding keeps an explicit JSON null as a NullNode. */
  private static JsonNode tree(JsonNode n) {
    return n == null || n.isMissingNode() ? null : n;
  }

  private static String str(JsonNode n) {
    return present(n) == null ? null : n.asText();
  }

  private static int integer(JsonNode n) {
    return present(n) == null ? 0 : n.asInt();
  }

  private static long longValue(JsonNode n) {
    return present(n) == null ? 0 : n.asLong();
  }

  private static boolean bool(JsonNode n) {
    return present(n) != null && n.asBoolean();
  }

  private static Integer boxedInt(JsonNode n) {
    return present(n) == null ? null : n.asInt();
  }

  private static Long boxedLong(JsonNode n) {
    return present(n) == null ? null : n.asLong();
  }

  private static Boolean boxedBool(JsonNode n) {
    return present(n) == null ? null : n.asBoolean();
  }

  private static Double boxedDouble(JsonNode n) {
    return present(n) == null ? null : n.asDouble();
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, JsonNode n) {
    return present(n) == null ? null : Enum.valueOf(type, n.asText());
  }

  private static Map<String, String> strings(JsonNode n) {
    if (present(n) == null) {
      return null;
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : iterable(n)) {
      m.put(f.getKey(), str(f.getValue()));
    }
    return m;
  }

  private static <T> List<T> list(JsonNode n, java.util.function.Function<JsonNode, T> element) {
    if (present(n) == null) {
      return null;
    }
    List<T> out = new ArrayList<>(n.size());
    for (JsonNode e : n) {
      out.add(present(e) == null ? null : element.apply(e));
    }
    return out;
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
    return n::fields;
  }
}
