package dev.resolute.bench;

import dev.resolute.server.log.KafkaLog;
import dev.resolute.server.log.KafkaLogOptions;
import dev.resolute.testsupport.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of transactional fencing at the log: leader appends of one partition through {@link
 * KafkaLog} on a one-broker Kafka, with epoch fencing (the node's idempotent producer) and with
 * transactional fencing (the partition's transactional producer, one transaction per group commit),
 * at 1 and at N appenders in flight (each appends, waits for its acknowledgement, appends again).
 * Prints appends/s and p50/p99 latency per mode. Modes alternate (ABBA) over the rounds.
 *
 * <pre>
 * java -cp "bench/target/classes:bench/target/lib/*" dev.resolute.bench.KafkaLogBench \
 *     [--seconds 10] [--rounds 2] [--in-flight 1,64] [--bytes 200]
 * </pre>
 */
public final class KafkaLogBench {
  public static void main(String[] args) throws Exception {
    var opt =
        Targets.parse(
            args,
            java.util.Set.of("seconds", "rounds", "in-flight", "bytes", "work-dir"),
            java.util.Set.of());
    double seconds = Double.parseDouble(opt.getOrDefault("seconds", "10"));
    int rounds = Integer.parseInt(opt.getOrDefault("rounds", "2"));
    int bytes = Integer.parseInt(opt.getOrDefault("bytes", "200"));
    int[] inFlight =
        Arrays.stream(opt.getOrDefault("in-flight", "1,64").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    Path work =
        opt.containsKey("work-dir")
            ? Path.of(opt.get("work-dir"))
            : Files.createTempDirectory("kafka-log-bench");
    System.out.printf(
        Locale.ROOT,
        "load average before: %s%n| appenders | fencing | appends/s | p50 ms | p99 ms |%n"
            + "|---:|---|---:|---:|---:|%n",
        ProcStats.loadAverage());
    try (KafkaBroker broker = KafkaBroker.at(work.resolve("kafka")).start()) {
      int topic = 0;
      for (int n : inFlight) {
        for (int r = 0; r < rounds; r++) {
          boolean[] order = r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false};
          for (boolean tx : order) {
            String name = "bench-" + (topic++);
            try (KafkaLog log =
                KafkaLog.open(
                    KafkaLogOptions.singleBroker(broker.bootstrapServers(), name), 1, tx)) {
              if (tx) {
                log.openLeaderSession(0);
              }
              run(log, n, bytes, 2.0); // warm-up
              long[] res = run(log, n, bytes, seconds);
              long[] lat = Arrays.copyOfRange(res, 1, res.length);
              Arrays.sort(lat);
              System.out.printf(
                  Locale.ROOT,
                  "| %d | %s | %.0f | %.2f | %.2f |%n",
                  n,
                  tx ? "transactional" : "epoch",
                  res[0] / seconds,
                  pct(lat, 50),
                  pct(lat, 99));
            }
          }
        }
      }
    }
    System.out.printf("load average after: %s%n", ProcStats.loadAverage());
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  /** {count, latencies ns...} of leader appends made in {@code seconds} by {@code n} appenders. */
  private static long[] run(KafkaLog log, int n, int bytes, double seconds)
      throws InterruptedException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    AtomicLong count = new AtomicLong();
    List<long[]> all = new ArrayList<>();
    int[] sizes = new int[n];
    CountDownLatch done = new CountDownLatch(n);
    byte[] payload = new byte[bytes];
    for (int w = 0; w < n; w++) {
      int worker = w;
      long[] mine = new long[1 << 16];
      all.add(mine);
      Thread t =
          new Thread(
              () -> {
                int k = 0;
                try {
                  while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    log.appendAsLeader(0, List.of(payload)).join();
                    if (k < mine.length) {
                      mine[k++] = System.nanoTime() - t0;
                    }
                    count.incrementAndGet();
                  }
                } finally {
                  sizes[worker] = k;
                  done.countDown();
                }
              });
      t.setDaemon(true);
      t.start();
    }
    done.await();
    int total = 0;
    for (int s : sizes) {
      total += s;
    }
    long[] out = new long[total + 1];
    out[0] = count.get();
    int at = 1;
    for (int w = 0; w < n; w++) {
      System.arraycopy(all.get(w), 0, out, at, sizes[w]);
      at += sizes[w];
    }
    return out;
  }
}
