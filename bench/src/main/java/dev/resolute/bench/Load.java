package dev.resolute.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * Runs one scenario against an already running server, for profiling: {@code Load <ingress-port>
 * <scenario> <warmup-s> <duration-s>}; prints throughput and latency.
 */
public final class Load {
  private Load() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Scenario s =
        Scenario.all().stream()
            .filter(x -> x.name.equals(args[1]))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown scenario " + args[1]));
    Duration warmup = Duration.ofMillis((long) (1000 * Double.parseDouble(args[2])));
    Duration measure = Duration.ofMillis((long) (1000 * Double.parseDouble(args[3])));
    LoadGen.Result r =
        LoadGen.run(
            "127.0.0.1",
            port,
            s.inFlight,
            warmup,
            measure,
            s.source("l" + Long.toString(System.nanoTime() % 1_000_000_000L, 36)));
    System.out.printf(
        Locale.ROOT,
        "%s: %.0f req/s p50 %.2f p90 %.2f p99 %.2f max %.1f ms, %d errors %s %s%n",
        s.name,
        r.throughput(),
        r.percentileMillis(50),
        r.percentileMillis(90),
        r.percentileMillis(99),
        r.maxMillis(),
        r.errors(),
        r.firstError() == null ? "" : r.firstError(),
        s.after("127.0.0.1", port));
  }
}
