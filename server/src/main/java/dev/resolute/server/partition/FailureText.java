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
   * repeats the latest event, a TransientError, as restate-server's invoker judges it (same code,
   * message and related command): an invocation failing the same way on every retry keeps one
   * event, so its status stays bounded. The event's related command goes to {@code
   * journal_event_related} and its type to {@code journal_event_type}, at the same position (events
   * stored before they were recorded get an empty one and TransientError).
   */
  static void recordEvent(InvocationStatus.Builder st, AttemptFailed f, long now) {
    int n = st.getJournalEventsCount();
    if (n > 0 && type(st, n - 1) == TRANSIENT_ERROR) {
      JournalEvent last = st.getJournalEvents(n - 1);
      AttemptFailed lastRelated =
          n - 1 < st.getJournalEventRelatedCount() ? st.getJournalEventRelated(n - 1) : null;
      if (last.getErrorCode() == f.getCode()
          && last.getErrorMessage().equals(f.getMessage())
          && sameRelated(lastRelated, f)) {
        return;
      }
    }
    add(st, TRANSIENT_ERROR, f, now);
  }

  /**
   * Adds a {@code Paused} event: after the failure {@code f} that used up the retry policy, or with
   * no failure ({@code f} null) for a pause asked through the admin API, as restate-server records
   * them.
   */
  static void recordPaused(InvocationStatus.Builder st, AttemptFailed f, long now) {
    add(st, PAUSED, f, now);
  }

  /** restate's {@code EventType} numbers, kept in {@code journal_event_type}. */
  static final int TRANSIENT_ERROR = 1;

  static final int PAUSED = 2;

  /** The type of event {@code i} (events stored before types were recorded: TransientError). */
  static int type(InvocationStatus st, int i) {
    return i < st.getJournalEventTypeCount() ? st.getJournalEventType(i) : TRANSIENT_ERROR;
  }

  private static int type(InvocationStatus.Builder st, int i) {
    return i < st.getJournalEventTypeCount() ? st.getJournalEventType(i) : TRANSIENT_ERROR;
  }

  private static void add(InvocationStatus.Builder st, int type, AttemptFailed f, long now) {
    int n = st.getJournalEventsCount();
    while (st.getJournalEventRelatedCount() < n) {
      st.addJournalEventRelated(AttemptFailed.getDefaultInstance());
    }
    while (st.getJournalEventTypeCount() < n) {
      st.addJournalEventType(TRANSIENT_ERROR);
    }
    JournalEvent.Builder e =
        JournalEvent.newBuilder()
            .setAppendedAt(now)
            .setAfterJournalEntryIndex(Math.max(0, st.getJournalLength() - 1));
    if (f != null) {
      e.setErrorCode(f.getCode())
          .setErrorMessage(f.getMessage())
          .setErrorStacktrace(f.getStacktrace())
          .setRestateDocErrorCode(f.getRestateCode());
    }
    st.addJournalEvents(e);
    st.addJournalEventRelated(f == null ? AttemptFailed.getDefaultInstance() : related(f));
    st.addJournalEventType(type);
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
