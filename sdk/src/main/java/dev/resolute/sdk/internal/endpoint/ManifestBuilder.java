package dev.resolute.sdk.internal.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.protocol.ProtocolVersion;
import dev.resolute.protocol.manifest.EndpointManifest;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.endpoint.definition.HandlerDefinition;
import dev.resolute.sdk.endpoint.definition.InvocationRetryPolicy;
import dev.resolute.sdk.endpoint.definition.Options;
import dev.resolute.sdk.endpoint.definition.ScheduleDefinition;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import dev.resolute.serde.Serde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The discovery manifest of an endpoint for one negotiated manifest version: fields newer than that
 * version are left out (V2: documentation/metadata, V3: timeouts/retentions/lazy state/private, V4:
 * retry policy). Resolute's extensions (schedules, rates) are metadata entries, so V2 and later.
 */
public final class ManifestBuilder {
  public static final int MIN_MANIFEST_VERSION = 1;
  public static final int MAX_MANIFEST_VERSION = 4;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ManifestBuilder() {}

  public static EndpointManifest build(
      Endpoint endpoint, int version, EndpointManifest.ProtocolMode mode) {
    List<EndpointManifest.Service> services = new ArrayList<>();
    endpoint.getServices().stream()
        .sorted(Comparator.comparing(ServiceDefinition::getServiceName))
        .forEach(s -> services.add(service(s, version)));
    return new EndpointManifest(
        mode, ProtocolVersion.MIN_SUPPORTED, ProtocolVersion.MAX_SUPPORTED, null, services);
  }

  /**
   * Resolute's extension, a metadata entry of a service or a handler: its token-bucket rate as JSON
   * text {@code {"rate_per_second": r, "burst"?: b}}.
   */
  public static final String RATE_LIMIT_KEY = "x-resolute-rate-limit";

  /**
   * Resolute's extension, a metadata entry of a handler: its cron schedules as JSON text {@code
   * [{"name", "cron", "timezone"?, "key"?, "body"?, "catch_up"}]}.
   */
  public static final String SCHEDULES_KEY = "x-resolute-schedules";

  /**
   * The metadata a service or handler advertises (manifest V2 and later): the user's entries plus
   * Resolute's extension entries ({@link #RATE_LIMIT_KEY}, {@link #SCHEDULES_KEY}) when declared.
   * They travel in {@code metadata} because restate-server 1.7.12 refuses a manifest with a field
   * it does not know and keeps any metadata (checked by {@code DeclaredSchedulesIT} against the
   * real server); the Resolute server reads them at registration.
   */
  private static Map<String, String> metadata(Options o) {
    if (o.ratePerSecond() == null && o.schedules().isEmpty()) {
      return Map.copyOf(o.metadata());
    }
    Map<String, String> m = new TreeMap<>(o.metadata());
    if (o.ratePerSecond() != null) {
      ObjectNode r = MAPPER.createObjectNode();
      r.put("rate_per_second", o.ratePerSecond());
      if (o.rateBurst() != null) {
        r.put("burst", o.rateBurst());
      }
      m.put(RATE_LIMIT_KEY, r.toString());
    }
    List<ScheduleDefinition> schedules = o.schedules();
    if (!schedules.isEmpty()) {
      ArrayNode arr = MAPPER.createArrayNode();
      for (int i = 0; i < schedules.size(); i++) {
        ScheduleDefinition d = schedules.get(i);
        ObjectNode n = arr.addObject();
        n.put("name", d.name() != null ? d.name() : Integer.toString(i));
        n.put("cron", d.cron());
        if (d.timeZone() != null) {
          n.put("timezone", d.timeZone());
        }
        if (d.key() != null) {
          n.put("key", d.key());
        }
        if (d.body() != null) {
          n.put("body", d.body());
        }
        n.put("catch_up", d.catchUp().name().toLowerCase(Locale.ROOT));
      }
      m.put(SCHEDULES_KEY, arr.toString());
    }
    return m;
  }

  public static byte[] toJson(EndpointManifest manifest) {
    try {
      return MAPPER.writeValueAsBytes(manifest);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write manifest", e);
    }
  }

  private static EndpointManifest.Service service(ServiceDefinition s, int v) {
    List<EndpointManifest.Handler> handlers = new ArrayList<>();
    s.getHandlers().stream()
        .sorted(Comparator.comparing(HandlerDefinition::getName))
        .forEach(h -> handlers.add(handler(s, h, v)));
    Options o = s.options();
    return new EndpointManifest.Service(
        s.getServiceName(),
        EndpointManifest.ServiceType.valueOf(s.getServiceType().name()),
        handlers,
        v >= 2 ? o.documentation() : null,
        v >= 2 ? metadata(o) : null,
        v >= 3 ? ms(o.inactivityTimeout()) : null,
        v >= 3 ? ms(o.abortTimeout()) : null,
        v >= 3 ? ms(o.journalRetention()) : null,
        v >= 3 ? ms(o.idempotencyRetention()) : null,
        v >= 3 ? o.enableLazyState() : null,
        v >= 3 ? o.ingressPrivate() : null,
        v >= 4 ? ms(retry(o).initialInterval()) : null,
        v >= 4 ? ms(retry(o).maxInterval()) : null,
        v >= 4 && retry(o).maxAttempts() != null ? Long.valueOf(retry(o).maxAttempts()) : null,
        v >= 4 ? retry(o).exponentiationFactor() : null,
        v >= 4 ? onMax(o) : null);
  }

  private static EndpointManifest.Handler handler(
      ServiceDefinition s, HandlerDefinition<?, ?> h, int v) {
    Options o = h.options();
    EndpointManifest.HandlerType ty =
        switch (s.getServiceType()) {
          case SERVICE -> null;
          default -> EndpointManifest.HandlerType.valueOf(h.getHandlerType().name());
        };
    Serde<?> in = h.getInputSerde();
    EndpointManifest.InputPayload input;
    if (in == Serde.VOID && h.getAcceptContentType() == null) {
      input = new EndpointManifest.InputPayload(null, null, null);
    } else {
      String ct = h.getAcceptContentType() != null ? h.getAcceptContentType() : in.contentType();
      input = new EndpointManifest.InputPayload(false, ct, schema(in));
    }
    Serde<?> out = h.getOutputSerde();
    EndpointManifest.OutputPayload output =
        new EndpointManifest.OutputPayload(
            out == Serde.VOID ? null : out.contentType(), false, schema(out));
    return new EndpointManifest.Handler(
        h.getName(),
        ty,
        input,
        output,
        v >= 2 ? o.documentation() : null,
        v >= 2 ? metadata(o) : null,
        v >= 3 ? ms(o.inactivityTimeout()) : null,
        v >= 3 ? ms(o.abortTimeout()) : null,
        v >= 3 ? ms(o.journalRetention()) : null,
        v >= 3 ? ms(o.idempotencyRetention()) : null,
        v >= 3 ? ms(o.workflowRetention()) : null,
        v >= 3 ? o.enableLazyState() : null,
        v >= 3 ? o.ingressPrivate() : null,
        v >= 4 ? ms(retry(o).initialInterval()) : null,
        v >= 4 ? ms(retry(o).maxInterval()) : null,
        v >= 4 && retry(o).maxAttempts() != null ? Long.valueOf(retry(o).maxAttempts()) : null,
        v >= 4 ? retry(o).exponentiationFactor() : null,
        v >= 4 ? onMax(o) : null);
  }

  private static JsonNode schema(Serde<?> serde) {
    Object s = serde.jsonSchema();
    return s == null ? null : MAPPER.valueToTree(s);
  }

  private static Long ms(Duration d) {
    return d == null ? null : d.toMillis();
  }

  private static final InvocationRetryPolicy NO_RETRY_POLICY =
      InvocationRetryPolicy.builder().build();

  private static InvocationRetryPolicy retry(Options o) {
    return o.invocationRetryPolicy() == null ? NO_RETRY_POLICY : o.invocationRetryPolicy();
  }

  private static EndpointManifest.OnMaxAttempts onMax(Options o) {
    InvocationRetryPolicy.OnMaxAttempts on = retry(o).onMaxAttempts();
    return on == null ? null : EndpointManifest.OnMaxAttempts.valueOf(on.name());
  }
}
