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
import java.util.Map;

/**
 * The discovery manifest of an endpoint for one negotiated manifest version: fields newer than that
 * version are left out (V2: documentation/metadata, V3: timeouts/retentions/lazy state/private, V4:
 * retry policy).
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

  /** Resolute's extension on a service or handler: its token-bucket rate. */
  public static final String RATE_LIMIT_FIELD = "x-resolute-rate-limit";

  /** Resolute's extension on a handler: its cron schedules. */
  public static final String SCHEDULES_FIELD = "x-resolute-schedules";

  /**
   * The manifest as served: {@code manifest} plus Resolute's extension fields ({@link
   * #RATE_LIMIT_FIELD}, {@link #SCHEDULES_FIELD}) on the services and handlers of {@code endpoint}
   * that declare them, in every manifest version. restate-server 1.7.12 accepts a manifest with
   * them and ignores them (checked by {@code ManifestExtensionsIT} against the real server).
   */
  public static byte[] toJson(Endpoint endpoint, EndpointManifest manifest) {
    ObjectNode root = MAPPER.valueToTree(manifest);
    JsonNode services = root.path("services");
    for (JsonNode sn : services) {
      ServiceDefinition s = endpoint.getService(sn.path("name").asText());
      if (s == null) {
        continue;
      }
      rate((ObjectNode) sn, s.options());
      for (JsonNode hn : sn.path("handlers")) {
        HandlerDefinition<?, ?> h = s.getHandler(hn.path("name").asText());
        if (h == null) {
          continue;
        }
        rate((ObjectNode) hn, h.options());
        List<ScheduleDefinition> schedules = h.options().schedules();
        if (!schedules.isEmpty()) {
          ArrayNode arr = ((ObjectNode) hn).putArray(SCHEDULES_FIELD);
          for (int i = 0; i < schedules.size(); i++) {
            ScheduleDefinition d = schedules.get(i);
            ObjectNode o = arr.addObject();
            o.put("name", d.name() != null ? d.name() : Integer.toString(i));
            o.put("cron", d.cron());
            if (d.timeZone() != null) {
              o.put("timezone", d.timeZone());
            }
            if (d.key() != null) {
              o.put("key", d.key());
            }
            if (d.body() != null) {
              o.put("body", d.body());
            }
            o.put("catch_up", d.catchUp().name().toLowerCase(java.util.Locale.ROOT));
          }
        }
      }
    }
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (Exception e) {
      throw new IllegalStateException("cannot write manifest", e);
    }
  }

  private static void rate(ObjectNode node, Options o) {
    if (o.ratePerSecond() != null) {
      ObjectNode r = node.putObject(RATE_LIMIT_FIELD);
      r.put("rate_per_second", o.ratePerSecond());
      if (o.rateBurst() != null) {
        r.put("burst", o.rateBurst());
      }
    }
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
        v >= 2 ? Map.copyOf(o.metadata()) : null,
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
        v >= 2 ? Map.copyOf(o.metadata()) : null,
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
