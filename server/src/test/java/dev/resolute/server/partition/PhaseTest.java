package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.server.pb.InvocationStatus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The invocation phase's transition table: every legal move accepted, every other one refused. */
class PhaseTest {
  /** The table as the lifecycle needs it, written out independently of {@link Phase}. */
  static final Map<Phase, EnumSet<Phase>> LEGAL =
      Map.of(
          Phase.SCHEDULED, EnumSet.of(Phase.INBOXED, Phase.INVOKED, Phase.COMPLETED),
          Phase.INBOXED, EnumSet.of(Phase.INVOKED, Phase.COMPLETED),
          Phase.INVOKED,
              EnumSet.of(
                  Phase.INVOKED, Phase.SUSPENDED, Phase.BACKING_OFF, Phase.PAUSED, Phase.COMPLETED),
          Phase.SUSPENDED, EnumSet.of(Phase.INVOKED, Phase.COMPLETED),
          Phase.BACKING_OFF, EnumSet.of(Phase.INVOKED, Phase.PAUSED, Phase.COMPLETED),
          Phase.PAUSED, EnumSet.of(Phase.INVOKED, Phase.COMPLETED),
          Phase.COMPLETED, EnumSet.noneOf(Phase.class));

  static InvocationStatus.Builder in(Phase p) {
    return InvocationStatus.newBuilder().setPhase(InvocationStatus.Phase.valueOf(p.name()));
  }

  @Test
  void everyLegalTransitionIsAcceptedAndStored() {
    for (Phase from : Phase.values()) {
      for (Phase to : LEGAL.get(from)) {
        InvocationStatus.Builder st = in(from).setAttempt(3);
        assertThat(Phase.move(st, to)).isSameAs(st);
        assertThat(Phase.of(st)).isEqualTo(to);
        assertThat(st.getPhase().name()).isEqualTo(to.name());
        assertThat(st.getAttempt()).isEqualTo(3);
      }
    }
  }

  @Test
  void everyOtherTransitionThrowsACodedErrorAndLeavesThePhase() {
    int illegal = 0;
    for (Phase from : Phase.values()) {
      for (Phase to : EnumSet.complementOf(LEGAL.get(from))) {
        InvocationStatus.Builder st = in(from);
        assertThatThrownBy(() -> Phase.move(st, to))
            .isInstanceOfSatisfying(
                Phase.IllegalTransition.class,
                e -> {
                  assertThat(e.code()).isEqualTo(Phase.IllegalTransition.CODE);
                  assertThat(e.from()).isEqualTo(from);
                  assertThat(e.to()).isEqualTo(to);
                  assertThat(e.getMessage())
                      .startsWith(Phase.IllegalTransition.CODE)
                      .contains(from + " to " + to);
                })
            .isInstanceOf(IllegalStateException.class);
        assertThat(Phase.of(st)).isEqualTo(from);
        illegal++;
      }
    }
    assertThat(illegal).isEqualTo(7 * 7 - LEGAL.values().stream().mapToInt(Set::size).sum());
  }

  @Test
  void completedIsFinal() {
    for (Phase to : Phase.values()) {
      assertThat(Phase.COMPLETED.canMoveTo(to)).isFalse();
    }
  }

  @Test
  void mapsEveryStoredPhaseWithTheSameName() {
    assertThat(Phase.values())
        .hasSize(InvocationStatus.Phase.values().length - 1); // without UNRECOGNIZED
    for (InvocationStatus.Phase stored : InvocationStatus.Phase.values()) {
      if (stored != InvocationStatus.Phase.UNRECOGNIZED) {
        assertThat(Phase.of(InvocationStatus.newBuilder().setPhase(stored)).name())
            .isEqualTo(stored.name());
      }
    }
    assertThatThrownBy(() -> Phase.of(InvocationStatus.newBuilder().setPhaseValue(42)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void notStartedMeansScheduledOrInboxed() {
    assertThat(EnumSet.allOf(Phase.class).stream().filter(Phase::notStarted))
        .containsExactlyInAnyOrder(Phase.SCHEDULED, Phase.INBOXED);
  }
}
