package dev.resolute.server.log;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by hand: the cost of opening a log after a crash whose last segment is large, and of a short
 * replay from it (what a restart pays with store checkpoints). {@code write DIR MiB} fills a
 * segment with 200-byte records and leaves it as a SIGKILL would (no clean-tail marker); {@code
 * open DIR} (in a fresh JVM) opens it and replays the last 300 records, printing wall and process
 * CPU time of each. The open after a crash includes preparing a new 256 MiB segment (zeros written
 * and fsync'd).
 */
public final class LocalLogOpenMeasure {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    if (args[0].equals("write")) {
      long bytes = Long.parseLong(args[2]) << 20;
      LocalLog log = LocalLog.open(dir, 1, 256L << 20);
      byte[] payload = new byte[200];
      long n = bytes / (payload.length + 20);
      for (long i = 0; i < n; i += 1000) {
        java.util.List<byte[]> group = new java.util.ArrayList<>();
        for (int j = 0; j < 1000; j++) {
          group.add(payload);
        }
        log.appendAll(0, group).get();
      }
      log.close();
      Files.delete(dir.resolve(LocalLog.CLEAN_MARKER));
      System.out.println("wrote " + n + " records");
      return;
    }
    org.slf4j.LoggerFactory.getLogger(LocalLog.class).info("measuring"); // not the logging's start
    long w0 = System.nanoTime();
    long c0 = cpu();
    LocalLog log = LocalLog.open(dir, 1, 256L << 20);
    long w1 = System.nanoTime();
    long c1 = cpu();
    long last = log.lastLsn();
    int[] seen = new int[1];
    log.replay(new long[] {last - 300}, (p, lsn, payload) -> seen[0]++);
    long w2 = System.nanoTime();
    long c2 = cpu();
    System.out.printf(
        "open %d ms (cpu %d), replay of %d records %d ms (cpu %d)%n",
        (w1 - w0) / 1_000_000,
        (c1 - c0) / 1_000_000,
        seen[0],
        (w2 - w1) / 1_000_000,
        (c2 - c1) / 1_000_000);
    // no close: a clean close would leave a marker, and the next run must open after a crash
    Runtime.getRuntime().halt(0);
  }

  private static long cpu() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
  }
}
