package dev.resolute.examples.approval;

/** A reviewer's answer, delivered by resolving the awakeable. */
public record Decision(boolean approved, String reviewer) {}
