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
   * repeats the latest event (same code, message, stack trace and journal position): an invocation
   * failing the same way on every retry keeps one event, so its status stays bounded.
   */
  static void recordEvent(InvocationStatus.Builder st, AttemptFailed f, long now) {
    int after = Math.max(0, st.getJournalLength() - 1);
    int n = st.getJournalEventsCount();
    if (n > 0) {
      JournalEvent last = st.getJournalEvents(n - 1);
      if (last.getErrorCode() == f.getCode()
          && last.getErrorMessage().equals(f.getMessage())
          && last.getErrorStacktrace().equals(f.getStacktrace())
          && last.getAfterJournalEntryIndex() == after) {
        return;
      }
    }
    st.addJournalEvents(
        JournalEvent.newBuilder()
            .setAppendedAt(now)
            .setAfterJournalEntryIndex(after)
            .setErrorCode(f.getCode())
            .setErrorMessage(f.getMessage())
            .setErrorStacktrace(f.getStacktrace())
            .setRestateDocErrorCode(f.getRestateCode()));
  }
}
