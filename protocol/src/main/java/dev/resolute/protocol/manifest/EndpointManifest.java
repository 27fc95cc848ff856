package dev.resolute.protocol.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The endpoint manifest served by a deployment at {@code GET /discover} (manifest versions 1–4
 * merged; PROTOCOL.md §7). Absent optional fields are {@code null} and omitted when written.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EndpointManifest(
    @JsonProperty("protocolMode") ProtocolMode protocolMode,
    @JsonProperty("minProtocolVersion") Integer minProtocolVersion,
    @JsonProperty("maxProtocolVersion") Integer maxProtocolVersion,
    @JsonProperty("lambdaCompression") String lambdaCompression,
    @JsonProperty("services") List<Service> services) {

  public enum ProtocolMode {
    BIDI_STREAM,
    REQUEST_RESPONSE
  }

  public enum ServiceType {
    SERVICE,
    VIRTUAL_OBJECT,
    WORKFLOW
  }

  public enum HandlerType {
    WORKFLOW,
    EXCLUSIVE,
    SHARED
  }

  public enum OnMaxAttempts {
    PAUSE,
    KILL
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Service(
      @JsonProperty("name") String name,
      @JsonProperty("ty") ServiceType ty,
      @JsonProperty("handlers") List<Handler> handlers,
      @JsonProperty("documentation") String documentation,
      @JsonProperty("metadata") java.util.Map<String, String> metadata,
      @JsonProperty("inactivityTimeout") Long inactivityTimeout,
      @JsonProperty("abortTimeout") Long abortTimeout,
      @JsonProperty("journalRetention") Long journalRetention,
      @JsonProperty("idempotencyRetention") Long idempotencyRetention,
      @JsonProperty("enableLazyState") Boolean enableLazyState,
      @JsonProperty("ingressPrivate") Boolean ingressPrivate,
      @JsonProperty("retryPolicyInitialInterval") Long retryPolicyInitialInterval,
      @JsonProperty("retryPolicyMaxInterval") Long retryPolicyMaxInterval,
      @JsonProperty("retryPolicyMaxAttempts") Long retryPolicyMaxAttempts,
      @JsonProperty("retryPolicyExponentiationFactor") Double retryPolicyExponentiationFactor,
      @JsonProperty("retryPolicyOnMaxAttempts") OnMaxAttempts retryPolicyOnMaxAttempts) {

    public static Service of(String name, ServiceType ty, List<Handler> handlers) {
      return new Service(
          name, ty, handlers, null, null, null, null, null, null, null, null, null, null, null,
          null, null);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Handler(
      @JsonProperty("name") String name,
      @JsonProperty("ty") HandlerType ty,
      @JsonProperty("input") InputPayload input,
      @JsonProperty("output") OutputPayload output,
      @JsonProperty("documentation") String documentation,
      @JsonProperty("metadata") java.util.Map<String, String> metadata,
      @JsonProperty("inactivityTimeout") Long inactivityTimeout,
      @JsonProperty("abortTimeout") Long abortTimeout,
      @JsonProperty("journalRetention") Long journalRetention,
      @JsonProperty("idempotencyRetention") Long idempotencyRetention,
      @JsonProperty("workflowCompletionRetention") Long workflowCompletionRetention,
      @JsonProperty("enableLazyState") Boolean enableLazyState,
      @JsonProperty("ingressPrivate") Boolean ingressPrivate,
      @JsonProperty("retryPolicyInitialInterval") Long retryPolicyInitialInterval,
      @JsonProperty("retryPolicyMaxInterval") Long retryPolicyMaxInterval,
      @JsonProperty("retryPolicyMaxAttempts") Long retryPolicyMaxAttempts,
      @JsonProperty("retryPolicyExponentiationFactor") Double retryPolicyExponentiationFactor,
      @JsonProperty("retryPolicyOnMaxAttempts") OnMaxAttempts retryPolicyOnMaxAttempts) {

    public static Handler of(
        String name, HandlerType ty, InputPayload input, OutputPayload output) {
      return new Handler(
          name, ty, input, output, null, null, null, null, null, null, null, null, null, null, null,
          null, null, null);
    }
  }

  /** Absent {@code contentType} means "no body expected". */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record InputPayload(
      @JsonProperty("required") Boolean required,
      @JsonProperty("contentType") String contentType,
      @JsonProperty("jsonSchema") com.fasterxml.jackson.databind.JsonNode jsonSchema) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record OutputPayload(
      @JsonProperty("contentType") String contentType,
      @JsonProperty("setContentTypeIfEmpty") Boolean setContentTypeIfEmpty,
      @JsonProperty("jsonSchema") com.fasterxml.jackson.databind.JsonNode jsonSchema) {}
}
