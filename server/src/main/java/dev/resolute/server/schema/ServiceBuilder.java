package dev.resolute.server.schema;

import dev.resolute.protocol.manifest.EndpointManifest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a manifest service into a {@link ServiceSchema} with effective options resolved. */
final class ServiceBuilder {
  private ServiceBuilder() {}

  static ServiceSchema build(
      SchemaRegistry.Defaults d, DeploymentSchema dep, EndpointManifest.Service s, int revision) {
    return build(d, dep, s, revision, null);
  }

  /**
   * @param o the admin's changes to this service, applied when they belong to {@code revision} (see
   *     {@link ServiceOverride}); may be null
   */
  static ServiceSchema build(
      SchemaRegistry.Defaults d,
      DeploymentSchema dep,
      EndpointManifest.Service s,
      int revision,
      ServiceOverride o) {
    if (o != null && o.revision() != revision) {
      o = null;
    }
    ServiceOverride ov = o == null ? ServiceOverride.none(revision) : o;
    ServiceType type = serviceType(s.ty());
    boolean rr = dep.protocolMode() == EndpointManifest.ProtocolMode.REQUEST_RESPONSE;
    Duration svcIdem =
        ms(ov.idempotencyRetentionMillis(), ms(s.idempotencyRetention(), d.idempotencyRetention()));
    Duration svcJournal =
        cap(ms(ov.journalRetentionMillis(), ms(s.journalRetention(), d.journalRetention())), d);
    Duration svcInactivity =
        rr
            ? Duration.ZERO
            : ms(ov.inactivityTimeoutMillis(), ms(s.inactivityTimeout(), d.inactivityTimeout()));
    Duration svcAbort = ms(ov.abortTimeoutMillis(), ms(s.abortTimeout(), d.abortTimeout()));
    boolean svcLazy = Boolean.TRUE.equals(s.enableLazyState());
    boolean svcPublic =
        ov.publicAccess() != null ? ov.publicAccess() : !Boolean.TRUE.equals(s.ingressPrivate());
    RetryPolicy svcRetry =
        retry(
            d.retryPolicy(),
            s.retryPolicyInitialInterval(),
            s.retryPolicyExponentiationFactor(),
            s.retryPolicyMaxAttempts(),
            s.retryPolicyMaxInterval(),
            s.retryPolicyOnMaxAttempts());
    Duration wfBase = ms(ov.workflowCompletionRetentionMillis(), d.workflowCompletionRetention());
    Duration wfRetention = wfBase;
    Map<String, HandlerSchema> handlers = new LinkedHashMap<>();
    for (EndpointManifest.Handler h : s.handlers()) {
      HandlerType ht = handlerType(type, h.ty());
      if (ht == HandlerType.WORKFLOW && h.workflowCompletionRetention() != null) {
        wfRetention = Duration.ofMillis(h.workflowCompletionRetention());
      }
      String inCt;
      boolean inRequired;
      com.fasterxml.jackson.databind.JsonNode inSchema;
      if (h.input() == null) {
        inCt = "*/*";
        inRequired = false;
        inSchema = null;
      } else {
        inCt = h.input().contentType();
        inRequired = Boolean.TRUE.equals(h.input().required());
        inSchema = h.input().jsonSchema();
      }
      String outCt;
      boolean setIfEmpty;
      com.fasterxml.jackson.databind.JsonNode outSchema;
      if (h.output() == null) {
        outCt = "application/json";
        setIfEmpty = false;
        outSchema = null;
      } else {
        outCt = h.output().contentType();
        setIfEmpty = Boolean.TRUE.equals(h.output().setContentTypeIfEmpty());
        outSchema = h.output().jsonSchema();
      }
      boolean hPublic = svcPublic && !Boolean.TRUE.equals(h.ingressPrivate());
      handlers.put(
          h.name(),
          new HandlerSchema(
              h.name(),
              ht,
              hPublic,
              h.documentation(),
              h.metadata() == null ? Map.of() : Map.copyOf(h.metadata()),
              inCt,
              inRequired,
              inSchema,
              outCt,
              setIfEmpty,
              outSchema,
              rr ? Duration.ZERO : ms(h.inactivityTimeout(), svcInactivity),
              ms(h.abortTimeout(), svcAbort),
              cap(ms(h.journalRetention(), svcJournal), d),
              ms(h.idempotencyRetention(), svcIdem),
              ms(h.workflowCompletionRetention(), wfBase),
              h.enableLazyState() != null ? h.enableLazyState() : svcLazy,
              retry(
                  svcRetry,
                  h.retryPolicyInitialInterval(),
                  h.retryPolicyExponentiationFactor(),
                  h.retryPolicyMaxAttempts(),
                  h.retryPolicyMaxInterval(),
                  h.retryPolicyOnMaxAttempts())));
    }
    return new ServiceSchema(
        s.name(),
        type,
        revision,
        dep.id(),
        svcPublic,
        s.documentation(),
        s.metadata() == null ? Map.of() : Map.copyOf(s.metadata()),
        Map.copyOf(handlers),
        svcIdem,
        wfRetention,
        svcJournal,
        svcInactivity,
        svcAbort,
        svcLazy,
        svcRetry);
  }

  static ServiceType serviceType(EndpointManifest.ServiceType t) {
    return switch (t) {
      case SERVICE -> ServiceType.SERVICE;
      case VIRTUAL_OBJECT -> ServiceType.VIRTUAL_OBJECT;
      case WORKFLOW -> ServiceType.WORKFLOW;
    };
  }

  /** Effective handler type; null handler type takes the service kind's default. */
  static HandlerType handlerType(ServiceType st, EndpointManifest.HandlerType ht) {
    if (ht == null) {
      return st == ServiceType.VIRTUAL_OBJECT ? HandlerType.EXCLUSIVE : HandlerType.SHARED;
    }
    return switch (ht) {
      case EXCLUSIVE -> HandlerType.EXCLUSIVE;
      case SHARED -> HandlerType.SHARED;
      case WORKFLOW -> HandlerType.WORKFLOW;
    };
  }

  /** A journal retention capped at {@code max-journal-retention}, when one is configured. */
  private static Duration cap(Duration journalRetention, SchemaRegistry.Defaults d) {
    Duration max = d.maxJournalRetention();
    return max != null && journalRetention.compareTo(max) > 0 ? max : journalRetention;
  }

  private static Duration ms(Long v, Duration dflt) {
    return v == null ? dflt : Duration.ofMillis(v);
  }

  private static RetryPolicy retry(
      RetryPolicy base,
      Long initial,
      Double factor,
      Long maxAttempts,
      Long maxInterval,
      EndpointManifest.OnMaxAttempts onMax) {
    if (initial == null
        && factor == null
        && maxAttempts == null
        && maxInterval == null
        && onMax == null) {
      return base;
    }
    return new RetryPolicy(
        initial == null ? base.initialInterval() : Duration.ofMillis(initial),
        factor == null ? base.exponentiationFactor() : factor,
        maxAttempts == null
            ? base.maxAttempts()
            : Integer.valueOf((int) Math.min(Integer.MAX_VALUE, maxAttempts)),
        maxInterval == null ? base.maxInterval() : Duration.ofMillis(maxInterval),
        onMax == null
            ? base.onMaxAttempts()
            : onMax == EndpointManifest.OnMaxAttempts.KILL
                ? RetryPolicy.OnMaxAttempts.KILL
                : RetryPolicy.OnMaxAttempts.PAUSE);
  }
}
