package dev.resolute.server.log;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Run by hand: the latency of one append at a time (200-byte records, each its own group commit, so
 * each pays one write and one fsync), as the single-in-flight scenarios see the log. {@code DIR
 * [records] [rounds]}: a fresh log in a new directory under DIR per round, the first round a
 * warm-up; prints the median, mean, p90 and p99 of {@code append(..).get()} in ms.
 */
public final class LocalLogAppendMeasure {
  public static void main(String[] args) throws Exception {
    Path base = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    long[] all = new long[0];
    byte[] payload = new byte[200];
    for (int r = 0; r < rounds; r++) {
      Path dir = Files.createTempDirectory(base, "append-measure-");
      LocalLog log = LocalLog.open(dir, 1);
      long[] t = new long[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        log.append(0, payload).get();
        t[i] = System.nanoTime() - t0;
      }
      log.close();
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      if (r > 0 || rounds == 1) {
        long[] joined = Arrays.copyOf(all, all.length + n);
        System.arraycopy(t, 0, joined, all.length, n);
        all = joined;
      }
    }
    Arrays.sort(all);
    System.out.printf(
        "%d appends: median %.3f ms, mean %.3f, p90 %.3f, p99 %.3f%n",
        all.length,
        all[all.length / 2] / 1e6,
        Arrays.stream(all).average().orElse(0) / 1e6,
        all[(int) (all.length * 0.9)] / 1e6,
        all[(int) (all.length * 0.99)] / 1e6);
  }
}
