package dev.resolute.server.partition;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler a simulated node's partition processors arm timers on: tasks run on the
 * simulation's virtual time, on its one thread, and die with the node's incarnation.
 */
final class SimScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final Simulation sim;
  private final SimNode node;
  private final long incarnation;

  SimScheduler(Simulation sim, SimNode node, long incarnation) {
    this.sim = sim;
    this.node = node;
    this.incarnation = incarnation;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Handle h = new Handle();
    sim.at(
        unit.toMillis(Math.max(0, delay)),
        node,
        incarnation,
        () -> {
          if (!h.cancelled) {
            command.run();
          }
        });
    return h;
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    Handle h = new Handle();
    long every = unit.toMillis(delay);
    Runnable[] loop = new Runnable[1];
    loop[0] =
        () -> {
          if (!h.cancelled) {
            command.run();
            sim.at(every, node, incarnation, loop[0]);
          }
        };
    sim.at(unit.toMillis(initialDelay), node, incarnation, loop[0]);
    return h;
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return scheduleWithFixedDelay(command, initialDelay, period, unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("not used by the partition processor");
  }

  @Override
  public void execute(Runnable command) {
    sim.at(0, node, incarnation, command);
  }

  @Override
  public void shutdown() {}

  @Override
  public List<Runnable> shutdownNow() {
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }

  /** A scheduled task's handle: only cancellation is meaningful. */
  private static final class Handle implements ScheduledFuture<Object> {
    volatile boolean cancelled;

    @Override
    public long getDelay(TimeUnit unit) {
      return 0;
    }

    @Override
    public int compareTo(Delayed o) {
      return 0;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled;
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }
  }
}
