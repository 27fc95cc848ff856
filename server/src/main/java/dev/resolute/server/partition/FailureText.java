package dev.resolute.server.partition;

import dev.resolute.server.pb.AttemptFailed;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.JournalEvent;

/**
 * How a failed attempt is shown in the introspection tables, as restate-server 1.7.12 shows it:
 * {@code sys_invocation.last_failure} is {@code [code name] message}, then the deployment's stack
 * trace on the following lines; {@code sys_journal_events} gets one {@code TransientError} event
 * per failure that differs from the previous one.
 */
final class FailureText {
  private FailureText() {}

  /** {@code [500 Internal] message}, and {@code \n stacktrace} when the deployment sent one. */
  static String of(int code, String message, String stacktrace) {
    String name = name(code);
    StringBuilder out = new StringBuilder("[").append(code);
    if (name != null) {
      out.append(' ').append(name);
    }
    out.append("] ").append(message);
    if (!stacktrace.isEmpty()) {
      out.append('\n').append(stacktrace);
    }
    return out.toString();
  }

  /** restate-server's names of the invocation error codes it knows; null for any other code. */
  static String name(int code) {
    return switch (code) {
      case 400 -> "Bad request";
      case 404 -> "Not found";
      case 500 -> "Internal";
      case 409 -> "Aborted";
      case 410 -> "Gone";
      case 415 -> "Unsupported media type";
      case 570 -> "Journal mismatch";
      case 571 -> "Protocol violation";
      case 470 -> "Not ready";
      default -> null;
    };
  }

  /**
   * Adds a {@code TransientError} event for {@code f} after the journal's last entry, unless it
   * repeats the latest event as restate-server's invoker judges it (same code, message and related
   * command): an invocation failing the same way on every retry keeps one event, so its status
   * stays bounded. The event's related command goes to {@code journal_event_related} at the same
   * position (events stored before it was recorded get an empty one).
   */
  static void recordEvent(InvocationStatus.Builder st, AttemptFailed f, long now) {
    int after = Math.max(0, st.getJournalLength() - 1);
    int n = st.getJournalEventsCount();
    if (n > 0) {
      JournalEvent last = st.getJournalEvents(n - 1);
      AttemptFailed lastRelated =
          n - 1 < st.getJournalEventRelatedCount() ? st.getJournalEventRelated(n - 1) : null;
      if (last.getErrorCode() == f.getCode()
          && last.getErrorMessage().equals(f.getMessage())
          && sameRelated(lastRelated, f)) {
        return;
      }
    }
    while (st.getJournalEventRelatedCount() < n) {
      st.addJournalEventRelated(AttemptFailed.getDefaultInstance());
    }
    st.addJournalEvents(
        JournalEvent.newBuilder()
            .setAppendedAt(now)
            .setAfterJournalEntryIndex(after)
            .setErrorCode(f.getCode())
            .setErrorMessage(f.getMessage())
            .setErrorStacktrace(f.getStacktrace())
            .setRestateDocErrorCode(f.getRestateCode()));
    st.addJournalEventRelated(related(f));
  }

  /** Only the related command of {@code f} (fields 9–11). */
  static AttemptFailed related(AttemptFailed f) {
    AttemptFailed.Builder b = AttemptFailed.newBuilder();
    if (f.hasRelatedCommandIndex()) {
      b.setRelatedCommandIndex(f.getRelatedCommandIndex());
    }
    if (f.hasRelatedCommandName()) {
      b.setRelatedCommandName(f.getRelatedCommandName());
    }
    if (f.hasRelatedCommandType()) {
      b.setRelatedCommandType(f.getRelatedCommandType());
    }
    return b.build();
  }

  /**
   * Records the related command of the last failure on the status ({@code sys_invocation}), or
   * clears it when the failure names none.
   */
  static void recordLastRelated(InvocationStatus.Builder st, AttemptFailed f) {
    st.clearLastFailureRelatedCommandIndex()
        .clearLastFailureRelatedCommandName()
        .clearLastFailureRelatedCommandType();
    if (f.hasRelatedCommandIndex()) {
      st.setLastFailureRelatedCommandIndex(f.getRelatedCommandIndex());
    }
    if (f.hasRelatedCommandName()) {
      st.setLastFailureRelatedCommandName(f.getRelatedCommandName());
    }
    if (f.hasRelatedCommandType()) {
      st.setLastFailureRelatedCommandType(f.getRelatedCommandType());
    }
  }

  private static boolean sameRelated(AttemptFailed a, AttemptFailed f) {
    AttemptFailed x = a == null ? AttemptFailed.getDefaultInstance() : a;
    return x.hasRelatedCommandIndex() == f.hasRelatedCommandIndex()
        && x.getRelatedCommandIndex() == f.getRelatedCommandIndex()
        && x.hasRelatedCommandName() == f.hasRelatedCommandName()
        && x.getRelatedCommandName().equals(f.getRelatedCommandName())
        && x.hasRelatedCommandType() == f.hasRelatedCommandType()
        && x.getRelatedCommandType() == f.getRelatedCommandType();
  }
}
