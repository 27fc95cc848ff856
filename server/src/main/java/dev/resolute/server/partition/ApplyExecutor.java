package dev.resolute.server.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor partitions drain on. A drain asked for on the log's writer thread (a record was just
 * committed) is held until the end of the writer's batch; then, if nothing is waiting to be
 * written, it runs right there on the writer thread, else it goes to the pool. At low load this
 * saves a thread hand-off (a wake-up and a context switch) per committed batch; under load the
 * writer keeps writing and the pool applies, in parallel with the next fsync.
 *
 * <p>A drain is the partition's actor turn either way ({@link PartitionProcessor} keeps at most one
 * queued or running), so where it runs does not change the order records are applied in.
 */
public final class ApplyExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(ApplyExecutor.class);

  private final Executor pool;
  private final BooleanSupplier onWriterThread;

  /** Drains asked for during the current batch; touched by the writer thread only. */
  private List<Runnable> held = new ArrayList<>();

  public ApplyExecutor(Executor pool, BooleanSupplier onWriterThread) {
    this.pool = pool;
    this.onWriterThread = onWriterThread;
  }

  @Override
  public void execute(Runnable drain) {
    if (onWriterThread.getAsBoolean()) {
      held.add(drain);
    } else {
      pool.execute(drain);
    }
  }

  /**
   * On the writer thread, after a batch: runs the held drains here if {@code idle}, else hands them
   * on.
   */
  public void afterBatch(boolean idle) {
    if (held.isEmpty()) {
      return;
    }
    List<Runnable> now = held;
    held = new ArrayList<>();
    for (Runnable drain : now) {
      if (idle) {
        try {
          drain.run();
        } catch (RuntimeException e) {
          LOG.error("inline drain failed", e);
        }
      } else {
        handOn(drain);
      }
    }
    // a drain that left records behind re-asked for itself while running here: not inline again,
    // so the writer goes back to writing
    List<Runnable> again = held;
    held = new ArrayList<>();
    again.forEach(this::handOn);
  }

  private void handOn(Runnable drain) {
    try {
      pool.execute(drain);
    } catch (RejectedExecutionException e) {
      // the pool is shut down: the node is stopping and the log replays what is not applied
    }
  }
}
