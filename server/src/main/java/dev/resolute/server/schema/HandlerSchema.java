package dev.resolute.server.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;

/**
 * One handler of a registered service revision, with the effective options (handler over service
 * over server default) already resolved.
 *
 * @param inputContentType accepted input content type (may contain wildcards); null = no body
 *     expected
 * @param inputRequired whether a body with a content-type must be sent
 * @param outputContentType content-type set on ingress responses; null = none
 */
public record HandlerSchema(
    String name,
    HandlerType type,
    boolean isPublic,
    String documentation,
    Map<String, String> metadata,
    String inputContentType,
    boolean inputRequired,
    JsonNode inputJsonSchema,
    String outputContentType,
    boolean setContentTypeIfEmpty,
    JsonNode outputJsonSchema,
    Duration inactivityTimeout,
    Duration abortTimeout,
    Duration journalRetention,
    Duration idempotencyRetention,
    Duration workflowCompletionRetention,
    boolean enableLazyState,
    RetryPolicy retryPolicy) {}
