package dev.resolute.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the {@code ./resolute-server} launcher at the repository root as a real process. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LauncherIT {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  private static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("resolute-server"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("launcher not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  private Result run(List<String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(repoRoot().resolve("resolute-server").toString());
    cmd.addAll(List.of(args));
    // started from a different cwd on purpose: the launcher must find its jars on its own
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(tmp.toFile())
            .redirectOutput(tmp.resolve("out.txt").toFile())
            .redirectError(tmp.resolve("err.txt").toFile());
    // the package phase already built the jar; do not start a nested Maven build during verify
    pb.environment().put("RESOLUTE_NO_BUILD", "1");
    pb.environment().keySet().removeIf(k -> k.startsWith("RESTATE_"));
    for (String kv : env) {
      int eq = kv.indexOf('=');
      pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    Process p = pb.start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        throw new AssertionError("launcher did not exit");
      }
    } finally {
      p.destroyForcibly();
    }
    return new Result(p.exitValue(), read("out.txt"), read("err.txt"));
  }

  private String read(String f) throws IOException {
    return Files.readString(tmp.resolve(f), StandardCharsets.UTF_8);
  }

  @Test
  void dumpConfigPrintsEffectiveToml() throws Exception {
    Result r =
        run(
            List.of("RESTATE_INGRESS__BIND_ADDRESS=127.0.0.1:18080"),
            "--dump-config",
            "--node-name",
            "it");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "node-name = \"it\"",
            "[ingress]",
            "bind-address = \"127.0.0.1:18080\"",
            "inactivity-timeout = \"1m\"",
            "default-num-partitions = 24");
  }

  @Test
  void helpListsRestateOptions() throws Exception {
    Result r = run(List.of(), "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("--config-file", "--base-dir", "--node-name", "--dump-config");
  }

  @Test
  void badConfigFileExitsNonZeroNamingTheKey() throws Exception {
    Path f = tmp.resolve("bad.toml");
    Files.writeString(f, "[worker.invoker]\ninactivity-timeout = \"soon\"\n");
    Result r = run(List.of(), "--config-file", f.toString());
    assertThat(r.code()).isNotZero();
    assertThat(r.err())
        .contains(
            "[RT0002] configuration loading error:",
            "worker.invoker.inactivity-timeout",
            "bad.toml");
  }

  /**
   * The launcher's class-data archive: a node started without one writes it once it has answered
   * {@link ClassDataArchive#REQUESTS} ingress requests (SIGKILLed afterwards, as a crash would stop
   * it), and the next start maps it: the node's classes load from it.
   */
  @Test
  void aNodeWritesTheClassDataArchiveOnceItHasAnsweredRequestsAndTheNextStartMapsIt()
      throws Exception {
    Path archive = repoRoot().resolve("server/target/resolute-cds.jsa");
    Files.deleteIfExists(archive);
    Process first = startNode("first", List.of());
    try {
      Properties ports = awaitPorts(first, "first");
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      for (int i = 0; i < ClassDataArchive.REQUESTS; i++) {
        var r =
            http.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + ports.getProperty("ingress") + "/Nope/x"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(archive) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(archive).as(read("first.log")).exists();
    } finally {
      first.destroyForcibly().waitFor();
    }

    Process second = startNode("second", List.of("-Xlog:class+load=info"));
    try {
      awaitPorts(second, "second");
    } finally {
      second.destroyForcibly().waitFor();
      // trained by 404s only: the next launcher in this build trains its own on real requests
      Files.deleteIfExists(archive);
    }
    assertThat(read("second.log"))
        .containsPattern("dev\\.resolute\\.server\\.Main source: shared objects file \\(top\\)");
  }

  private Process startNode(String name, List<String> javaOpts) throws IOException {
    List<String> cmd =
        List.of(
            repoRoot().resolve("resolute-server").toString(),
            "--base-dir",
            tmp.resolve("data").toString());
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(name + ".log").toFile());
    pb.environment().put("RESOLUTE_NO_BUILD", "1");
    pb.environment().keySet().removeIf(k -> k.startsWith("RESTATE_"));
    pb.environment().put("RESTATE_INGRESS__BIND_ADDRESS", "127.0.0.1:0");
    pb.environment().put("RESTATE_ADMIN__BIND_ADDRESS", "127.0.0.1:0");
    pb.environment().put("RESTATE_BIND_ADDRESS", "127.0.0.1:0");
    List<String> opts = new ArrayList<>(javaOpts);
    opts.add("-Dresolute.ports.file=" + tmp.resolve(name + ".ports"));
    pb.environment().put("JAVA_OPTS", String.join(" ", opts));
    return pb.start();
  }

  private Properties awaitPorts(Process p, String name) throws Exception {
    Path file = tmp.resolve(name + ".ports");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(file)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("no ports from the " + name + " node: " + read(name + ".log"));
      }
      Thread.sleep(20);
    }
    Properties ports = new Properties();
    try (var in = Files.newBufferedReader(file)) {
      ports.load(in);
    }
    return ports;
  }
}
