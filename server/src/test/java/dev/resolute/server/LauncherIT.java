package dev.resolute.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
}
