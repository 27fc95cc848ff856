package dev.resolute.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EffectsTest {
  @Test
  void aJournaledExecutionThatIsTheLastIsOnceEvenAfterUnjournaledOnes() {
    Effects e = new Effects(List.of("step op-1 a", "step op-2 x", "step op-1 b"));
    assertThat(e.judge("step", "op-1", "b")).isEqualTo(Effects.Verdict.ONCE);
    assertThat(e.before("step", "op-1", "b")).isEqualTo(1);
    assertThat(e.judge("step", "op-2", "x")).isEqualTo(Effects.Verdict.ONCE);
    assertThat(e.lines()).isEqualTo(3);
  }

  @Test
  void anExecutionAfterTheJournaledOneIsAgain() {
    Effects e = new Effects(List.of("chain op-1 a", "chain op-1 b"));
    assertThat(e.judge("chain", "op-1", "a")).isEqualTo(Effects.Verdict.AGAIN);
  }

  @Test
  void aJournaledTokenThatNeverRanIsMissing() {
    Effects e = new Effects(List.of("flow wf-1 a", "", "garbage"));
    assertThat(e.judge("flow", "wf-1", "zz")).isEqualTo(Effects.Verdict.MISSING);
    assertThat(e.judge("step", "op-9", "a")).isEqualTo(Effects.Verdict.MISSING);
    assertThat(e.lines()).isEqualTo(1);
  }

  @Test
  void stepsOfOtherKindsWithTheSameIdAreKeptApart() {
    Effects e = new Effects(List.of("step op-1 a", "chain op-1 b"));
    assertThat(e.judge("step", "op-1", "a")).isEqualTo(Effects.Verdict.ONCE);
    assertThat(e.judge("chain", "op-1", "b")).isEqualTo(Effects.Verdict.ONCE);
  }
}
