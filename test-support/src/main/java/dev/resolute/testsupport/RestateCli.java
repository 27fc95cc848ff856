package dev.resolute.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The official {@code restate} CLI (npm {@code @restatedev/restate} 1.7.12, installed under {@code
 * .peers/} by {@code scripts/install-peers}) pointed at one server's admin and ingress URLs.
 *
 * <p>Invariants: each run has its own CLI configuration directory ({@code RESTATE_CLI_CONFIG_HOME}
 * under the caller's work dir), so nothing in the user's {@code ~/.config} changes what a test
 * sees; colours and the pager are off and the terminal is 200 columns wide, so tables have a stable
 * shape; a run that does not end within its timeout is killed and reported as a failure, never left
 * hanging.
 */
public final class RestateCli {
  static final String PEERS_BINARY =
      ".peers/node_modules/@restatedev/restate-linux-x64/bin/restate";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Path binary;
  private final Path configHome;
  private final Map<String, String> env;

  private RestateCli(Path binary, Path configHome, Map<String, String> env) {
    this.binary = binary;
    this.configHome = configHome;
    this.env = env;
  }

  /** The CLI pointed at {@code server}; its configuration lives in {@code <work dir>/cli}. */
  public static RestateCli against(ServerProcess server) {
    return against(server.adminUrl(), server.ingressUrl(), server.workDir().resolve("cli"));
  }

  /** The CLI pointed at the given admin and ingress base URLs. */
  public static RestateCli against(String adminUrl, String ingressUrl, Path configHome) {
    return new RestateCli(
        binary(),
        configHome,
        Map.of(
            "RESTATE_ADMIN_URL", adminUrl,
            "RESTATE_INGRESS_URL", ingressUrl,
            "RESTATE_CLI_CONFIG_HOME", configHome.toString(),
            "NO_COLOR", "1",
            "CLICOLOR", "0",
            "TERM", "dumb",
            "COLUMNS", "200",
            "PAGER", "cat"));
  }

  /**
   * The same CLI with extra environment variables for its runs (e.g. {@code EDITOR} for the
   * commands that open an editor: {@code services config edit}, {@code kv edit}); a name given
   * again replaces the earlier value.
   */
  public RestateCli env(Map<String, String> extra) {
    Map<String, String> merged = new HashMap<>(env);
    merged.putAll(extra);
    return new RestateCli(binary, configHome, Map.copyOf(merged));
  }

  /**
   * The binary: the system property {@code restate.cli.binary}, {@code $RESTATE_CLI_BINARY}, or
   * {@code .peers/…} in the working directory or its nearest parent that has one.
   */
  public static Path binary() {
    return Peers.executable(
        "restate CLI", "restate.cli.binary", "RESTATE_CLI_BINARY", PEERS_BINARY);
  }

  /** What one run printed and how it ended. */
  public record Result(List<String> args, int exitCode, String stdout, String stderr) {
    /** Throws with both streams unless the run exited 0. */
    public Result assertOk() {
      if (exitCode != 0) {
        throw new AssertionError(this.toString());
      }
      return this;
    }

    @Override
    public String toString() {
      return "restate "
          + String.join(" ", args)
          + " -> exit "
          + exitCode
          + "\n--- stdout ---\n"
          + stdout
          + "\n--- stderr ---\n"
          + stderr;
    }
  }

  /** Runs {@code restate args...} with nothing on standard input. */
  public Result run(String... args) {
    return runWithInput("", args);
  }

  /** Runs {@code restate args...} with {@code stdin} written to its standard input. */
  public Result runWithInput(String stdin, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(List.of(args));
    try {
      Files.createDirectories(configHome);
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().putAll(env);
      Process p = pb.start();
      CompletableFuture<String> out = readAll(p.getInputStream());
      CompletableFuture<String> err = readAll(p.getErrorStream());
      try (var in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // the CLI may exit without reading its input
      }
      if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError(
            "restate " + String.join(" ", args) + " did not end within " + TIMEOUT);
      }
      return new Result(List.of(args), p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + cmd, e);
    }
  }

  private static CompletableFuture<String> readAll(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
