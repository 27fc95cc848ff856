package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The deterministic simulation over many seeds (see {@link Simulation}; server/README.md,
 * "Simulation").
 *
 * <ul>
 *   <li>{@code -Dsim.seeds=N} (default 10,000): how many seeds, from {@code -Dsim.first} (default
 *       1);
 *   <li>{@code -Dsim.seed=S}: only seed S, with its trace printed (to replay a failure);
 *   <li>{@code -Dsim.threads=T} (default: the cores): seeds run in parallel, each on one thread.
 * </ul>
 */
class SimulationTest {
  private static Level before;

  @BeforeAll
  static void quiet() {
    // fenced leaders and failed attempts are the point here: their log lines would be thousands
    Logger root = (Logger) LoggerFactory.getLogger("dev.resolute.server");
    before = root.getLevel();
    root.setLevel(Level.OFF);
  }

  @AfterAll
  static void restore() {
    ((Logger) LoggerFactory.getLogger("dev.resolute.server")).setLevel(before);
  }

  private static long threadCpu() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  @Test
  void invariantsHoldForEverySeed() throws Exception {
    String one = System.getProperty("sim.seed");
    if (one != null) {
      Simulation sim = new Simulation(Long.parseLong(one), true);
      List<String> v = sim.run();
      sim.trace().forEach(System.out::println);
      System.out.println(sim.summary());
      assertThat(v).as(sim.summary()).isEmpty();
      return;
    }
    long first = Long.getLong("sim.first", 1);
    long seeds = Long.getLong("sim.seeds", 10_000);
    int threads = Integer.getInteger("sim.threads", Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicLong records = new AtomicLong();
    AtomicLong crashes = new AtomicLong();
    AtomicLong takeovers = new AtomicLong();
    AtomicLong cpuNanos = new AtomicLong();
    long t0 = System.nanoTime();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        int worker = w;
        done.add(
            pool.submit(
                () -> {
                  long cpu0 = threadCpu();
                  for (long s = first + worker; s < first + seeds; s += threads) {
                    if (failures.size() >= 5) {
                      return;
                    }
                    Simulation sim = new Simulation(s, false);
                    List<String> v;
                    try {
                      v = sim.run();
                    } catch (RuntimeException | AssertionError e) {
                      v = List.of("threw " + e);
                    }
                    records.addAndGet(sim.log.lastLsn());
                    crashes.addAndGet(sim.crashes);
                    takeovers.addAndGet(sim.takeovers);
                    if (!v.isEmpty()) {
                      failures.add(
                          sim.summary()
                              + ": "
                              + v
                              + " (replay: -Dsim.seed="
                              + s
                              + " -Dtest=SimulationTest)");
                    }
                  }
                  cpuNanos.addAndGet(threadCpu() - cpu0);
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf(
        "simulation: %d seeds in %d ms (%d ms of CPU on %d threads), %d records, %d crashes,"
            + " %d takeovers%n",
        seeds,
        (System.nanoTime() - t0) / 1_000_000,
        cpuNanos.get() / 1_000_000,
        threads,
        records.get(),
        crashes.get(),
        takeovers.get());
    failures.forEach(System.out::println);
    assertThat(failures).isEmpty();
  }
}
