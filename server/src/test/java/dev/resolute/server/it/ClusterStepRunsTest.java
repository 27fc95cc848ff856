package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ClusterIT.StepRuns}, the cluster test's {@code ctx.run} check, fails where it must. */
class ClusterStepRunsTest {
  static final Map<String, List<String>> JOURNALED = Map.of("w", List.of("b", "b", "b"));

  @Test
  void aStepRunAgainBeforeItsResultWasJournaledIsCountedInItsWindow() {
    List<String> lines = List.of("w 0 a 100", "w 0 b 200", "w 1 b 210", "w 2 b 220");
    assertThat(ClusterIT.StepRuns.check(lines, JOURNALED, 50, 150))
        .isEqualTo(new ClusterIT.StepRuns(3, 1));
    assertThat(
            ClusterIT.StepRuns.check(
                List.of("w 0 b 200", "w 1 b 210", "w 2 b 220"), JOURNALED, 0, -1))
        .isEqualTo(new ClusterIT.StepRuns(3, 0));
  }

  @Test
  void aJournaledStepRunAgainFails() {
    List<String> lines = List.of("w 0 b 200", "w 1 b 210", "w 2 b 220", "w 2 c 230");
    assertThatThrownBy(() -> ClusterIT.StepRuns.check(lines, JOURNALED, 0, 1000))
        .hasMessageContaining("executions of step 2 of w");
  }

  @Test
  void anUnjournaledStepFollowedByAnotherStepOfItsAttemptFails() {
    // attempt a went on to step 1 although step 0's result was not the journaled one
    List<String> lines = List.of("w 0 a 100", "w 1 a 110", "w 0 b 200", "w 1 b 210", "w 2 b 220");
    assertThatThrownBy(() -> ClusterIT.StepRuns.check(lines, JOURNALED, 0, 1000))
        .hasMessageContaining("ran after step 0 of its attempt a");
  }

  @Test
  void aRerunOutsideTheWindowFails() {
    List<String> lines = List.of("w 0 a 100", "w 0 b 200", "w 1 b 210", "w 2 b 220");
    assertThatThrownBy(() -> ClusterIT.StepRuns.check(lines, JOURNALED, 0, -1))
        .hasMessageContaining("outside the disturbance");
  }

  @Test
  void aJournaledStepThatNeverRanFails() {
    assertThatThrownBy(
            () -> ClusterIT.StepRuns.check(List.of("w 0 b 1", "w 1 b 2"), JOURNALED, 0, -1))
        .hasMessageContaining("executions of step 2 of w");
  }
}
