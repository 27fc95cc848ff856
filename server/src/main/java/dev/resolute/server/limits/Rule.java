package dev.resolute.server.limits;

/**
 * One entry of the rule book, the shape restate-server's {@code RuleResponse} has plus our rate.
 *
 * @param version bumped on every change the runtime sees (limits, disabled); starts at 1
 * @param lastModifiedMillis the record time of the last change (never the wall clock of a replica)
 */
public record Rule(
    RulePattern pattern,
    Limits limits,
    String description,
    boolean disabled,
    int version,
    long lastModifiedMillis) {}
