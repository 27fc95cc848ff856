package dev.resolute.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * A read in cluster mode waits until this node applied every partition up to the log's end when the
 * read came, and no longer than its timeout.
 */
class ReadBarrierTest {

  @Test
  void waitsUntilEveryPartitionAppliedUpToTheLogsEnd() throws Exception {
    AtomicLongArray applied = new AtomicLongArray(new long[] {7, 3, 0});
    ReadBarrier barrier =
        new ReadBarrier(() -> new long[] {7, 5, 0}, applied::get, Duration.ofSeconds(10));
    CompletableFuture<Boolean> read = CompletableFuture.supplyAsync(barrier::await);
    // partition 1 is two records behind: the read waits for them
    Thread.sleep(100);
    assertThat(read).isNotDone();
    applied.set(1, 4);
    Thread.sleep(100);
    assertThat(read).isNotDone();
    applied.set(1, 5);
    assertThat(read.get(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void givesUpAfterItsTimeoutOrWhenTheEndsCannotBeRead() {
    ReadBarrier behind = new ReadBarrier(() -> new long[] {1, 9}, p -> 1, Duration.ofMillis(200));
    long t0 = System.nanoTime();
    assertThat(behind.await()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    ReadBarrier noKafka =
        new ReadBarrier(
            () -> {
              throw new IllegalStateException("Kafka unreachable");
            },
            p -> 0,
            Duration.ofSeconds(10));
    assertThat(noKafka.await()).isFalse();
  }
}
