package dev.resolute.server.api;

import dev.resolute.protocol.id.InvocationId;

/** The outcome of a call, with the id of the invocation that produced it. */
public record InvocationResult(InvocationId id, Outcome outcome) {}
