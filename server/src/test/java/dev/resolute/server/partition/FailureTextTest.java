package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.pb.AttemptFailed;
import dev.resolute.server.pb.InvocationStatus;
import dev.resolute.server.pb.JournalEvent;
import org.junit.jupiter.api.Test;

/**
 * The related command of a failed attempt is kept beside the message (restate's invoker), not in
 * it, and a {@code TransientError} event repeats only when code, message or related command differ.
 */
class FailureTextTest {
  private static AttemptFailed failure(String message, Integer index, String name) {
    AttemptFailed.Builder b =
        AttemptFailed.newBuilder().setCode(500).setMessage(message).setRestateCode("RT0007");
    if (index != null) {
      b.setRelatedCommandIndex(index).setRelatedCommandType(0x0411);
    }
    if (name != null) {
      b.setRelatedCommandName(name);
    }
    return b.build();
  }

  @Test
  void eventsCarryTheirRelatedCommandAndRepeatOnlyWhenItChanges() {
    InvocationStatus.Builder st = InvocationStatus.newBuilder().setJournalLength(2);
    FailureText.recordEvent(st, failure("boom", 1, "step"), 10);
    FailureText.recordEvent(st, failure("boom", 1, "step"), 20);
    assertThat(st.getJournalEventsCount()).isEqualTo(1);
    FailureText.recordEvent(st, failure("boom", 2, "step"), 30);
    FailureText.recordEvent(st, failure("boom", null, null), 40);
    assertThat(st.getJournalEventsCount()).isEqualTo(3);
    assertThat(st.getJournalEventRelatedCount()).isEqualTo(3);
    assertThat(st.getJournalEventRelated(1).getRelatedCommandIndex()).isEqualTo(2);
    assertThat(st.getJournalEventRelated(1).getRelatedCommandName()).isEqualTo("step");
    assertThat(st.getJournalEventRelated(2).hasRelatedCommandIndex()).isFalse();
    assertThat(st.getJournalEvents(0).getErrorMessage()).isEqualTo("boom");
  }

  @Test
  void anEventStoredBeforeRelatedCommandsWereKeptGetsAnEmptyOne() {
    InvocationStatus.Builder st =
        InvocationStatus.newBuilder()
            .addJournalEvents(JournalEvent.newBuilder().setErrorCode(500).setErrorMessage("old"));
    FailureText.recordEvent(st, failure("new", 3, "x"), 10);
    assertThat(st.getJournalEventRelatedCount()).isEqualTo(2);
    assertThat(st.getJournalEventRelated(0)).isEqualTo(AttemptFailed.getDefaultInstance());
    assertThat(st.getJournalEventRelated(1).getRelatedCommandIndex()).isEqualTo(3);
  }

  @Test
  void theLastFailuresRelatedCommandIsReplacedByEachFailure() {
    InvocationStatus.Builder st = InvocationStatus.newBuilder();
    FailureText.recordLastRelated(st, failure("a", 4, "n"));
    assertThat(st.getLastFailureRelatedCommandIndex()).isEqualTo(4);
    assertThat(st.getLastFailureRelatedCommandName()).isEqualTo("n");
    assertThat(st.getLastFailureRelatedCommandType()).isEqualTo(0x0411);
    FailureText.recordLastRelated(st, failure("b", null, null));
    assertThat(st.hasLastFailureRelatedCommandIndex()).isFalse();
    assertThat(st.hasLastFailureRelatedCommandName()).isFalse();
    assertThat(st.getLastFailureRelatedCommandType()).isZero();
  }

  @Test
  void pausedEventsAndATransientErrorAfterThem() {
    InvocationStatus.Builder st = InvocationStatus.newBuilder().setJournalLength(1);
    FailureText.recordEvent(st, failure("boom", null, null), 10);
    FailureText.recordPaused(st, null, 20);
    // the same failure again after a pause is a new event (restate: a new attempt after resume)
    FailureText.recordEvent(st, failure("boom", null, null), 30);
    FailureText.recordPaused(st, failure("boom", 1, "step"), 40);
    assertThat(st.getJournalEventsCount()).isEqualTo(4);
    assertThat(st.getJournalEventTypeList()).containsExactly(1, 2, 1, 2);
    assertThat(st.getJournalEvents(1).getErrorCode()).isZero();
    assertThat(st.getJournalEvents(3).getErrorMessage()).isEqualTo("boom");
    assertThat(st.getJournalEventRelated(3).getRelatedCommandName()).isEqualTo("step");
  }
}
