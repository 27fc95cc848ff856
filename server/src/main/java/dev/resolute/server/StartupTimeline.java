package dev.resolute.server;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a start's time goes: each step's wall time and the CPU time the whole process spent during
 * it (every thread: a step that overlaps work on another thread shows that work too), logged as one
 * line once the node serves. The first step, {@code jvm}, runs from the launcher's start (the
 * script {@code exec}s the JVM, so the process's CPU time includes the script's) to {@code main}.
 *
 * <p>Process CPU time comes from {@link ProcessHandle.Info#totalCpuDuration()} (on Linux {@code
 * /proc/self/stat}, so clock-tick resolution, usually 10 ms); no management bean is loaded for it.
 * Not thread-safe: the starting thread marks the steps.
 */
public final class StartupTimeline {
  /** The log line's prefix (parsed by the chaos suite's BoundedRecoveryIT). */
  public static final String PREFIX = "start-up timeline (wall/cpu ms):";

  private record Step(String name, long wallNanos, long cpuNanos) {}

  private final List<Step> steps = new ArrayList<>();
  private final long startWall;
  private final long startCpu;
  private long lastWall;
  private long lastCpu;

  private StartupTimeline(long startWall, long startCpu, long nowWall) {
    this.startWall = startWall;
    this.startCpu = startCpu;
    this.lastWall = nowWall;
    this.lastCpu = startCpu;
  }

  /**
   * A timeline whose first step, {@code jvm}, is the time from the process's start to now (where
   * the process start time is unknown, the timeline starts now).
   */
  public static StartupTimeline sinceProcessStart() {
    long now = System.nanoTime();
    long cpu = cpuNanos();
    long startWall = now;
    long sinceStart = nanosSinceLaunch();
    if (sinceStart > 0) {
      startWall = now - sinceStart;
    }
    StartupTimeline t = new StartupTimeline(startWall, 0, startWall);
    t.step("jvm", now, cpu);
    return t;
  }

  /**
   * Nanoseconds since the launcher started ({@code -Dresolute.launched}, its {@code
   * $EPOCHREALTIME}), else since the process started as the JDK reports it (whose clock counts from
   * the boot time in whole seconds, so it may be off by up to a second); -1 if neither is known.
   */
  private static long nanosSinceLaunch() {
    Instant now = Instant.now();
    String launched = System.getProperty("resolute.launched");
    if (launched != null) {
      try {
        java.math.BigDecimal seconds = new java.math.BigDecimal(launched.replace(',', '.'));
        long epochNanos = seconds.movePointRight(9).longValue();
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        return nowNanos - epochNanos;
      } catch (NumberFormatException e) {
        // fall back to the process start time
      }
    }
    Instant started = ProcessHandle.current().info().startInstant().orElse(null);
    return started == null ? -1 : Duration.between(started, now).toNanos();
  }

  /** A timeline starting now (a node started inside a running JVM, e.g. embedded or in tests). */
  public static StartupTimeline startingNow() {
    long cpu = cpuNanos();
    return new StartupTimeline(System.nanoTime(), cpu, System.nanoTime());
  }

  /** Ends the step called {@code name} now; the next step starts now. */
  public void step(String name) {
    step(name, System.nanoTime(), cpuNanos());
  }

  private void step(String name, long wall, long cpu) {
    steps.add(new Step(name, wall - lastWall, Math.max(0, cpu - lastCpu)));
    lastWall = wall;
    lastCpu = Math.max(lastCpu, cpu);
  }

  /** Wall time from the timeline's start to the last step, in ms. */
  public long totalWallMillis() {
    return (lastWall - startWall) / 1_000_000;
  }

  /** Process CPU time from the timeline's start to the last step, in ms. */
  public long totalCpuMillis() {
    return (lastCpu - startCpu) / 1_000_000;
  }

  /** {@code start-up timeline (wall/cpu ms): jvm 420/610, config 30/40, ..., total 1200/1400}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(PREFIX);
    for (Step s : steps) {
      b.append(' ')
          .append(s.name)
          .append(' ')
          .append(s.wallNanos / 1_000_000)
          .append('/')
          .append(s.cpuNanos / 1_000_000)
          .append(',');
    }
    b.append(" total ").append(totalWallMillis()).append('/').append(totalCpuMillis());
    return b.toString();
  }

  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }
}
