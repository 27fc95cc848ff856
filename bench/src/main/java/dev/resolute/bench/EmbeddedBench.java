package dev.resolute.bench;

import dev.resolute.bench.rsdk.BenchServices;
import dev.resolute.embedded.EmbeddedResolute;
import dev.resolute.embedded.IngressResponse;
import dev.resolute.embedded.Resolute;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.http.ResoluteHttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * The embedded mode: the same services (the Resolute-SDK bench deployment) and the same node in
 * this JVM, reached three ways, with the node's default durability (every log batch fsync'd before
 * anything is acknowledged) in each:
 *
 * <ul>
 *   <li>{@code inprocess}: {@code Resolute.embedded()} with no port; requests enter through the
 *       in-process ingress and the invoker reaches the services through the in-process transport —
 *       no socket anywhere;
 *   <li>{@code inprocess-http}: the same node, requests over HTTP/1.1 to its ingress port (the
 *       invoker still in-process), to separate the two hops;
 *   <li>{@code http2}: the same node without in-process services, the services served by {@code
 *       ResoluteHttpServer} on loopback and registered as an h2c deployment: the usual set-up
 *       (server + deployment), only in one JVM.
 * </ul>
 *
 * <pre>
 * java -cp "bench/target/classes:bench/target/lib/*" dev.resolute.bench.EmbeddedBench \
 *     [--modes inprocess,inprocess-http,http2] [--only echo-1,steps-1,call-1] [--warmup S]
 *     [--duration S] [--rounds N] [--partitions N]
 * </pre>
 *
 * Each round runs every mode once, on a fresh data directory (in the temporary directory, or {@code
 * --data-dir}), every scenario in turn after its warm-up; the mode order alternates between rounds
 * (ABBA). Scenarios whose checks need the ingress port (the counter scenarios) are run without
 * their check.
 */
public final class EmbeddedBench {
  private EmbeddedBench() {}

  public static void main(String[] args) throws Exception {
    List<String> modes = List.of("inprocess", "inprocess-http", "http2");
    List<String> only = List.of("echo-1", "steps-1", "call-1", "echo-64");
    double warmup = 10;
    double duration = 20;
    int rounds = 1;
    int partitions = 4;
    Path dataRoot = null;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--modes" -> modes = List.of(v.split(","));
        case "--only" -> only = List.of(v.split(","));
        case "--warmup" -> warmup = Double.parseDouble(v);
        case "--duration" -> duration = Double.parseDouble(v);
        case "--rounds" -> rounds = Integer.parseInt(v);
        case "--partitions" -> partitions = Integer.parseInt(v);
        case "--data-dir" -> dataRoot = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    List<Scenario> scenarios = new ArrayList<>();
    for (String name : only) {
      scenarios.add(
          Scenario.all().stream()
              .filter(s -> s.name.equals(name))
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("unknown scenario " + name)));
    }
    System.out.printf(
        Locale.ROOT,
        "embedded bench: modes %s, scenarios %s, warm-up %.0f s, %.0f s each, %d round(s), %d"
            + " partitions, %d cores%n",
        modes,
        only,
        warmup,
        duration,
        rounds,
        partitions,
        Runtime.getRuntime().availableProcessors());
    List<String> rows = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      List<String> order = new ArrayList<>(modes);
      if (round % 2 == 1) {
        java.util.Collections.reverse(order);
      }
      for (String mode : order) {
        Path data =
            dataRoot == null
                ? Files.createTempDirectory("resolute-embedded-bench-")
                : Files.createDirectories(dataRoot.resolve(mode + "-" + round));
        try {
          rows.addAll(runMode(mode, data, partitions, scenarios, warmup, duration));
        } finally {
          deleteTree(data);
        }
      }
    }
    System.out.println();
    System.out.println("| mode | scenario | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  private static List<String> runMode(
      String mode,
      Path data,
      int partitions,
      List<Scenario> scenarios,
      double warmup,
      double duration)
      throws Exception {
    Endpoint services = BenchServices.endpoint();
    EmbeddedResolute.Builder b = Resolute.embedded().dataDir(data).partitions(partitions);
    ResoluteHttpServer remote = null;
    EmbeddedResolute node;
    LoadGen.Conns conns;
    switch (mode) {
      case "inprocess" -> {
        node = b.withoutIngress().withoutAdmin().endpoint(services).start();
        EmbeddedResolute n = node;
        conns = () -> inProcess(n);
      }
      case "inprocess-http" -> {
        node = b.ingressPort(0).withoutAdmin().endpoint(services).start();
        int port = node.ingressUri().getPort();
        conns = () -> new HttpConn("127.0.0.1", port, 60_000);
      }
      case "http2" -> {
        remote = ResoluteHttpServer.start(services, "127.0.0.1", 0);
        node = b.ingressPort(0).withoutAdmin().start();
        node.registerDeployment(URI.create("http://127.0.0.1:" + remote.port() + "/"));
        int port = node.ingressUri().getPort();
        conns = () -> new HttpConn("127.0.0.1", port, 60_000);
      }
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
    List<String> rows = new ArrayList<>();
    try {
      for (Scenario s : scenarios) {
        LoadGen.Result r =
            LoadGen.run(
                s.inFlight,
                Duration.ofMillis((long) (warmup * 1000)),
                Duration.ofMillis((long) (duration * 1000)),
                s.source(mode + Long.toString(System.nanoTime() % 1_000_000_000L, 36)),
                conns);
        String row =
            String.format(
                Locale.ROOT,
                "| %s | %s | %.0f | %.3f | %.3f | %.3f | %.1f | %d%s |",
                mode,
                s.name,
                r.throughput(),
                r.percentileMillis(50),
                r.percentileMillis(90),
                r.percentileMillis(99),
                r.maxMillis(),
                r.errors(),
                r.firstError() == null ? "" : " (" + r.firstError() + ")");
        System.out.println(row);
        rows.add(row);
      }
    } finally {
      node.close();
      if (remote != null) {
        remote.close();
      }
    }
    return rows;
  }

  /** A worker's requests into the node's in-process ingress: no socket, no HTTP. */
  private static LoadGen.Conn inProcess(EmbeddedResolute node) {
    Map<String, String> json = Map.of("content-type", "application/json");
    return new LoadGen.Conn() {
      @Override
      public HttpConn.Response send(String method, String path, byte[] body) throws IOException {
        try {
          IngressResponse r = node.request(method, path, json, body).get();
          return new HttpConn.Response(r.status(), r.body());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
          throw new IOException(e.getCause());
        }
      }

      @Override
      public void close() {}
    };
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
