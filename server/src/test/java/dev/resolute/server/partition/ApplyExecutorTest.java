package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class ApplyExecutorTest {
  private final List<Runnable> pool = new ArrayList<>();
  private final Executor poolExecutor = pool::add;
  private boolean onWriter;
  private final ApplyExecutor exec = new ApplyExecutor(poolExecutor, () -> onWriter);
  private final List<String> ran = new ArrayList<>();

  @Test
  void awayFromTheWriterThreadDrainsGoStraightToThePool() {
    exec.execute(() -> ran.add("a"));
    assertThat(pool).hasSize(1);
    assertThat(ran).isEmpty();
  }

  @Test
  void onTheWriterThreadDrainsWaitForTheBatchEndAndRunThereWhenTheWriterIsIdle() {
    onWriter = true;
    exec.execute(() -> ran.add("a"));
    exec.execute(() -> ran.add("b"));
    assertThat(ran).isEmpty();
    exec.afterBatch(true);
    assertThat(ran).containsExactly("a", "b");
    assertThat(pool).isEmpty();
  }

  @Test
  void whenAppendsAreWaitingTheHeldDrainsGoToThePool() {
    onWriter = true;
    exec.execute(() -> ran.add("a"));
    exec.afterBatch(false);
    assertThat(ran).isEmpty();
    assertThat(pool).hasSize(1);
    exec.afterBatch(true); // nothing held any more
    assertThat(ran).isEmpty();
  }

  @Test
  void aDrainThatAsksForItselfAgainWhileRunningInlineIsHandedToThePoolNotRunAgainHere() {
    onWriter = true;
    exec.execute(
        () -> {
          ran.add("first");
          exec.execute(() -> ran.add("second"));
        });
    exec.afterBatch(true);
    assertThat(ran).containsExactly("first");
    assertThat(pool).hasSize(1);
    pool.get(0).run();
    assertThat(ran).containsExactly("first", "second");
  }

  @Test
  void aFailingInlineDrainDoesNotStopTheOthers() {
    onWriter = true;
    exec.execute(
        () -> {
          throw new IllegalStateException("boom");
        });
    exec.execute(() -> ran.add("b"));
    exec.afterBatch(true);
    assertThat(ran).containsExactly("b");
  }
}
