package dev.resolute.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.ServerProcess;
import dev.resolute.testsupport.Wait;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Recovery after SIGKILL stays bounded whatever the history: rounds of thousands of acknowledged
 * invocations, each followed by a SIGKILL and a restart. Each restart must replay no more than the
 * store checkpoints allow (about two checkpoints' worth of records, whatever was committed before),
 * every acknowledged add must be there, and the time to healthy is printed. Without checkpoints the
 * replay grows with every round (the store was flushed only by trimming, i.e. once a 64 MiB segment
 * filled up), and the restart time with it.
 *
 * <p>The node is started by {@code ./resolute-server}, as a user starts it: its JVM options and its
 * class-data archive, which the first node writes once it has answered requests (the test waits for
 * it before the first SIGKILL, so the restarts map it as every later start does). Printed per
 * restart: the time from SIGKILL to both ports healthy, the restarted process's CPU time by then
 * ({@code /proc/<pid>/stat}: on a shared machine the less noisy figure) and the server's start-up
 * timeline (each step's wall and CPU time).
 */
@Timeout(600)
class BoundedRecoveryIT {
  static final Pattern REPLAYED = Pattern.compile("(\\d+) records replayed in (\\d+) ms");

  /** The server's start-up timeline: each step's wall and process CPU time. */
  static final Pattern TIMELINE = Pattern.compile("start-up timeline \\(wall/cpu ms\\):(.*)");

  /** Linux's clock ticks per second ({@code getconf CLK_TCK}), the unit of /proc CPU times. */
  static final long CLOCK_TICKS = 100;

  static final int ROUNDS = 2;

  /** About 5 records each: a round commits several times the checkpoint bound. */
  static final int ADDS_PER_ROUND = 1500;

  static final int KEYS = 32;

  /** RESOLUTE_STORE_FLUSH_RECORDS for this test (default 16384): smaller, so rounds stay short. */
  static final long CHECKPOINT_RECORDS = 1000;

  ResoluteProcess server;
  ChildProcess services;

  @AfterEach
  void tearDown() {
    if (services != null) {
      services.kill9();
    }
    if (server != null) {
      server.discard();
    }
  }

  @Test
  void aRestartAfterSigkillReplaysABoundedTailWhateverTheHistory() throws Exception {
    Path work = ServerProcess.newWorkDir("recovery");
    // started as a user starts it: ./resolute-server, with its JVM options and class-data archive
    server =
        ResoluteProcess.launcher(work)
            .env(Map.of("RESOLUTE_STORE_FLUSH_RECORDS", Long.toString(CHECKPOINT_RECORDS)));
    // the first node trains the launcher's archive on this test's requests (the adds of round 1)
    Files.deleteIfExists(server.classDataArchive());
    // for a comparison by hand: RESOLUTE_STORE_FLUSH_RECORDS=0 in the build's environment turns
    // checkpoints off (this test then fails, printing the replay of every round)
    String flushRecords = System.getenv("RESOLUTE_STORE_FLUSH_RECORDS");
    if (flushRecords != null) {
      server.env(Map.of("RESOLUTE_STORE_FLUSH_RECORDS", flushRecords));
    }
    server.start();
    services =
        ChildProcess.start(
            ChildProcess.javaCommand(
                ChildProcess.testClasspath(),
                List.of("-XX:+UseSerialGC"),
                "dev.resolute.chaos.services.ChaosServices",
                List.of("0", work.resolve("side-effects.txt").toString())),
            Map.of(),
            work.resolve("services.log"));
    int port =
        Integer.parseInt(services.awaitOutput(ChaosIT.READY, Duration.ofSeconds(60)).group(1));
    server.registerDeployment("http://127.0.0.1:" + port, false);

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long[] acked = new long[KEYS];
    List<String> report = new ArrayList<>();
    for (int round = 1; round <= ROUNDS; round++) {
      Semaphore inFlight = new Semaphore(16);
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < ADDS_PER_ROUND; i++) {
        inFlight.acquire();
        calls.add(
            http.sendAsync(
                    HttpRequest.newBuilder(
                            URI.create(server.ingressUrl() + "/Tally/r-" + (i % KEYS) + "/add"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("1"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, e) -> inFlight.release()));
      }
      for (int i = 0; i < calls.size(); i++) {
        HttpResponse<String> r = calls.get(i).get();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        acked[i % KEYS]++;
      }
      if (round == 1) {
        awaitClassDataArchive();
      }
      long t0 = System.nanoTime();
      server.kill9();
      long killNanos = System.nanoTime() - t0;
      // the data directory as the crash left it, for restarts measured by hand
      // (scripts/measure-restart); not timed
      copyTree(server.dataDir(), work.resolve("crashed-round-" + round));
      long t1 = System.nanoTime();
      server.start();
      long healthyMs = (killNanos + System.nanoTime() - t1) / 1_000_000;
      long cpuMs = cpuMillis(server.pid());
      String log = Files.readString(server.log());
      Matcher m = REPLAYED.matcher(log);
      long replayed = -1;
      long replayMs = -1;
      while (m.find()) {
        replayed = Long.parseLong(m.group(1));
        replayMs = Long.parseLong(m.group(2));
      }
      String timeline = "";
      for (Matcher s = TIMELINE.matcher(log); s.find(); ) {
        timeline = s.group(1).trim();
      }
      report.add(
          String.format(
              "round %d: %d adds acknowledged in all, restart replayed %d records in %d ms,"
                  + " healthy %d ms after SIGKILL, process CPU %d ms by then (timeline %s)",
              round, round * ADDS_PER_ROUND, replayed, replayMs, healthyMs, cpuMs, timeline));
      System.out.println("recovery: " + report.get(report.size() - 1));
      assertThat(replayed)
          .as(String.join("\n", report))
          .isBetween(0L, 2 * CHECKPOINT_RECORDS + 1000);
      for (int k = 0; k < KEYS; k++) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(server.ingressUrl() + "/Tally/r-" + k + "/get"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).as("r-" + k).isEqualTo(Long.toString(acked[k]));
      }
    }
  }

  /**
   * The launcher's first node writes its class-data archive once it has answered 100 requests (on a
   * thread of its own): waits for it, so the restarts measured map it as every later start does.
   */
  private void awaitClassDataArchive() {
    Path archive = server.classDataArchive();
    if (archive == null || "0".equals(System.getenv("RESOLUTE_CDS"))) {
      return;
    }
    try {
      Wait.until(
          "the class-data archive " + archive, Duration.ofSeconds(60), () -> Files.exists(archive));
    } catch (AssertionError e) {
      System.out.println("recovery: restarts without a class-data archive: " + e.getMessage());
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (var files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  /** utime + stime of a live process ({@code /proc/<pid>/stat}), in ms; -1 if unreadable. */
  static long cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // fields after the command name (in parentheses, which may hold spaces): state is field 3,
      // utime field 14, stime field 15
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / CLOCK_TICKS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
