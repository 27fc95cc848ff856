package dev.resolute.bench;

import dev.resolute.embedded.EmbeddedResolute;
import dev.resolute.embedded.IngressResponse;
import dev.resolute.embedded.Resolute;
import dev.resolute.sdk.endpoint.definition.ServiceDefinition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Rate accuracy of a limit (issue 18: "a limit of N/s holds within 5 % under a 10× overload, with
 * no loss"), not throughput. A node embedded in this JVM (four partitions, the default fsync
 * durability) serves {@code Limited/hit}, which notes the time its first execution of each request
 * started. Sends arrive at {@code overload × N} per second for {@code duration} seconds, then the
 * tool waits until every send has run; the held rate is {@code (starts − burst) / (last start −
 * first start)} (a perfect limiter starts {@code burst} at once, then one per {@code 1/N}), and
 * also per window of {@code window} seconds. The burst defaults to the rule's default, {@code
 * ceil(N)}. It passes when the held rate is within 5 % of N and every send ran (none lost).
 *
 * <p>Two ways to set the limit: {@code --via manifest} (default) declares the rate on the service
 * in the manifest our SDK emits ({@code rateLimit(N, burst)}), which the registration turns into a
 * rule and which applies to unscoped sends through the service's implicit scope; {@code --via rule}
 * sets the rule {@code bench} with {@code PUT /limits/rules} and sends through {@code
 * /restate/scope/bench/send/…}.
 *
 * <pre>
 * java -cp "bench/target/classes:bench/target/lib/*" dev.resolute.bench.LimitBench \
 *     [--rate 50] [--overload 10] [--duration 6] [--burst B] [--via manifest|rule] [--window 5]
 * </pre>
 */
public final class LimitBench {
  private LimitBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    double rate = Double.parseDouble(opts.getOrDefault("rate", "50"));
    double overload = Double.parseDouble(opts.getOrDefault("overload", "10"));
    double duration = Double.parseDouble(opts.getOrDefault("duration", "6"));
    int burstOpt = Integer.parseInt(opts.getOrDefault("burst", "0")); // 0: the rule's default
    int burst = burstOpt > 0 ? burstOpt : (int) Math.max(1, Math.ceil(rate));
    int window = Integer.parseInt(opts.getOrDefault("window", "5"));
    boolean viaManifest = !"rule".equals(opts.getOrDefault("via", "manifest"));
    int sends = (int) Math.round(rate * overload * duration);

    Map<Integer, Long> firstStart = new ConcurrentHashMap<>();
    AtomicInteger executions = new AtomicInteger();
    ServiceDefinition limited =
        ServiceDefinition.service("Limited")
            .handler(
                "hit",
                Integer.class,
                Void.class,
                (ctx, n) -> {
                  executions.incrementAndGet();
                  firstStart.putIfAbsent(n, System.nanoTime());
                  return null;
                })
            .build();
    Path dir = Files.createTempDirectory("limit-bench");
    try (EmbeddedResolute r =
        Resolute.embedded()
            .dataDir(dir)
            .partitions(4)
            .withoutIngress()
            .adminPort(0)
            .bind(
                limited,
                c -> {
                  if (viaManifest && burstOpt > 0) {
                    c.rateLimit(rate, burstOpt);
                  } else if (viaManifest) {
                    c.rateLimit(rate);
                  }
                })
            .start()) {
      String path;
      if (viaManifest) {
        path = "/Limited/hit/send";
      } else {
        putRule(r.adminUri(), rate, burstOpt);
        path = "/restate/scope/bench/send/Limited/hit";
      }
      System.out.printf(
          Locale.ROOT,
          "limit %.1f/s (burst %d, via %s), %d sends at %.0f/s for %.1f s (%.0fx overload)%n",
          rate,
          burst,
          viaManifest ? "manifest" : "rule",
          sends,
          rate * overload,
          duration,
          overload);
      long t0 = System.nanoTime();
      long intervalNanos = (long) (1e9 / (rate * overload));
      List<CompletableFuture<IngressResponse>> acks = new ArrayList<>();
      for (int i = 0; i < sends; i++) {
        long due = t0 + i * intervalNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        acks.add(
            r.request(
                "POST",
                path,
                Map.of("content-type", "application/json"),
                Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
      }
      int refused = 0;
      for (CompletableFuture<IngressResponse> a : acks) {
        if (a.get().status() != 202) {
          refused++;
        }
      }
      double offered = sends / ((System.nanoTime() - t0) / 1e9);
      long deadline = System.nanoTime() + (long) ((sends / rate + 60) * 1e9);
      while (firstStart.size() < sends && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(500); // a late duplicate would show in executions
      List<Long> starts = new ArrayList<>(firstStart.values());
      starts.sort(Comparator.naturalOrder());
      double span = (starts.get(starts.size() - 1) - starts.get(0)) / 1e9;
      // a perfect limiter starts `burst` at once, then one per 1/rate: (starts - burst) / span
      double held = (starts.size() - burst) / span;
      double minWindow = Double.MAX_VALUE;
      double maxWindow = 0;
      long first = starts.get(0);
      StringBuilder windows = new StringBuilder();
      for (long w = 0;
          (w + window) * 1_000_000_000L <= starts.get(starts.size() - 1) - first;
          w += window) {
        long from = first + w * 1_000_000_000L;
        long to = from + window * 1_000_000_000L;
        long n = starts.stream().filter(t -> t >= from && t < to).count();
        windows.append(String.format(Locale.ROOT, " %.1f", n / (double) window));
        minWindow = Math.min(minWindow, n / (double) window);
        maxWindow = Math.max(maxWindow, n / (double) window);
      }
      int lost = sends - firstStart.size();
      double error = (held - rate) / rate * 100;
      boolean pass = lost == 0 && refused == 0 && Math.abs(error) <= 5;
      System.out.printf(
          Locale.ROOT,
          "offered %.1f/s; held %.3f/s over %.1f s (%+.2f %% of the limit); per %d s window"
              + " min %.1f max %.1f/s%n",
          offered,
          held,
          span,
          error,
          window,
          minWindow == Double.MAX_VALUE ? 0 : minWindow,
          maxWindow);
      System.out.printf(
          Locale.ROOT,
          "sends %d, refused %d, ran %d, lost %d, executions %d (re-executions %d)%n",
          sends,
          refused,
          firstStart.size(),
          lost,
          executions.get(),
          executions.get() - firstStart.size());
      System.out.println("per window:" + windows);
      System.out.println(pass ? "PASS: within 5 % and no loss" : "FAIL");
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void putRule(URI admin, double rate, int burst)
      throws IOException, InterruptedException {
    String body =
        String.format(
            Locale.ROOT,
            "[{\"pattern\":\"bench\",\"limits\":{\"rate_per_second\":%s%s}}]",
            Double.toString(rate),
            burst > 0 ? ",\"burst\":" + burst : "");
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(admin.resolve("/limits/rules"))
                    .header("content-type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("PUT /limits/rules: " + r.statusCode() + " " + r.body());
    }
  }
}
