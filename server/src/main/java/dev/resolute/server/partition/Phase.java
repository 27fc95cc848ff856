package dev.resolute.server.partition;

import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.InvocationStatusOrBuilder;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * An invocation's phase and the table of its legal transitions. Stored as the protobuf {@code
 * InvocationStatus.Phase} (same numbers, so stored data keeps its meaning); every phase change goes
 * through {@link #move}, which throws {@link IllegalTransition} for a change the table does not
 * hold. A new invocation's status starts in SCHEDULED (the stored default) and leaves it at once
 * when it has no execution time.
 *
 * <pre>
 *   SCHEDULED ──► INBOXED ──► INVOKED ◄──► SUSPENDED / BACKING_OFF / PAUSED
 *       └────────────────────►   │   (any phase but COMPLETED) ──► COMPLETED (final)
 *                                └──► INVOKED (a new attempt: restart, satisfied suspension)
 * </pre>
 */
enum Phase {
  SCHEDULED(InvocationStatus.Phase.SCHEDULED),
  INBOXED(InvocationStatus.Phase.INBOXED),
  INVOKED(InvocationStatus.Phase.INVOKED),
  SUSPENDED(InvocationStatus.Phase.SUSPENDED),
  BACKING_OFF(InvocationStatus.Phase.BACKING_OFF),
  PAUSED(InvocationStatus.Phase.PAUSED),
  COMPLETED(InvocationStatus.Phase.COMPLETED);

  private static final Map<Phase, Set<Phase>> NEXT = new EnumMap<>(Phase.class);

  static {
    NEXT.put(SCHEDULED, EnumSet.of(INBOXED, INVOKED, COMPLETED));
    NEXT.put(INBOXED, EnumSet.of(INVOKED, COMPLETED));
    NEXT.put(INVOKED, EnumSet.of(INVOKED, SUSPENDED, BACKING_OFF, PAUSED, COMPLETED));
    NEXT.put(SUSPENDED, EnumSet.of(INVOKED, COMPLETED));
    NEXT.put(BACKING_OFF, EnumSet.of(INVOKED, PAUSED, COMPLETED));
    NEXT.put(PAUSED, EnumSet.of(INVOKED, COMPLETED));
    NEXT.put(COMPLETED, EnumSet.noneOf(Phase.class));
  }

  private final InvocationStatus.Phase stored;

  Phase(InvocationStatus.Phase stored) {
    this.stored = stored;
  }

  /** The phase of a stored (or building) status. */
  static Phase of(InvocationStatusOrBuilder st) {
    return switch (st.getPhase()) {
      case SCHEDULED -> SCHEDULED;
      case INBOXED -> INBOXED;
      case INVOKED -> INVOKED;
      case SUSPENDED -> SUSPENDED;
      case BACKING_OFF -> BACKING_OFF;
      case PAUSED -> PAUSED;
      case COMPLETED -> COMPLETED;
      case UNRECOGNIZED ->
          throw new IllegalStateException("unknown stored invocation phase " + st.getPhaseValue());
    };
  }

  /** Whether the table allows going from this phase to {@code to}. */
  boolean canMoveTo(Phase to) {
    return NEXT.get(this).contains(to);
  }

  /** Not started yet: waiting for its execution time or for its key's lock. */
  boolean notStarted() {
    return this == SCHEDULED || this == INBOXED;
  }

  /**
   * Sets {@code st}'s phase to {@code to}; throws {@link IllegalTransition} if the table does not
   * allow it.
   */
  static InvocationStatus.Builder move(InvocationStatus.Builder st, Phase to) {
    Phase from = of(st);
    if (!from.canMoveTo(to)) {
      throw new IllegalTransition(from, to);
    }
    return st.setPhase(to.stored);
  }

  /**
   * A phase change the transition table does not hold: a bug in the state machine, never an input
   * error.
   */
  static final class IllegalTransition extends IllegalStateException {
    /** The error code, stable for logs and tests. */
    static final String CODE = "RS_ILLEGAL_PHASE_TRANSITION";

    private final Phase from;
    private final Phase to;

    IllegalTransition(Phase from, Phase to) {
      super(CODE + ": an invocation cannot go from " + from + " to " + to);
      this.from = from;
      this.to = to;
    }

    String code() {
      return CODE;
    }

    Phase from() {
      return from;
    }

    Phase to() {
      return to;
    }
  }
}
