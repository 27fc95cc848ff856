package dev.resolute.server.api;

import dev.resolute.protocol.id.InvocationId;

/** Acknowledgement of a durable submission ({@code /send}). */
public record SubmitResult(InvocationId id, boolean previouslyAccepted, long executionTimeMillis) {}
