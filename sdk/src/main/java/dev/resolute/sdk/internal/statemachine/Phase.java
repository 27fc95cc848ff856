package dev.resolute.sdk.internal.statemachine;

/**
 * Lifecycle of one invocation attempt, SDK side. Legal transitions: WaitingStart →
 * WaitingReplayEntries → (Replaying →) Processing → Closed; any state → Closed.
 */
sealed interface Phase {

  /** The MDC / log name of the phase. */
  String statusName();

  record WaitingStart() implements Phase {
    public String statusName() {
      return "WAITING_START";
    }
  }

  /** Start received; {@code remaining} journal entries still to come before user code may run. */
  record WaitingReplayEntries(int remaining) implements Phase {
    public String statusName() {
      return "WAITING_START";
    }
  }

  /** User code runs and re-executes journaled commands: nothing is written. */
  record Replaying() implements Phase {
    public String statusName() {
      return "REPLAYING";
    }
  }

  /** User code runs past the journal: commands are written. */
  record Processing() implements Phase {
    public String statusName() {
      return "PROCESSING";
    }
  }

  /** The response ended (End, Suspension or Error written, or the stream was aborted). */
  record Closed(String reason) implements Phase {
    public String statusName() {
      return "CLOSED";
    }
  }

  static boolean canTransition(Phase from, Phase to) {
    if (to instanceof Closed) {
      return !(from instanceof Closed);
    }
    if (from instanceof WaitingStart) {
      return to instanceof WaitingReplayEntries;
    }
    if (from instanceof WaitingReplayEntries) {
      return to instanceof WaitingReplayEntries
          || to instanceof Replaying
          || to instanceof Processing;
    }
    if (from instanceof Replaying) {
      return to instanceof Processing;
    }
    return false;
  }
}
