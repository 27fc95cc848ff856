package dev.resolute.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {
  @TempDir Path dir;

  @Test
  void readsAReportedPortFromTheOutputOfThisRunOnly() throws Exception {
    Path log = dir.resolve("p.log");
    Files.writeString(log, "READY port=1\n"); // an earlier run's line in the same log
    ChildProcess p =
        ChildProcess.start(
            List.of("sh", "-c", "echo \"READY port=$PORT\"; exec sleep 60"),
            Map.of("PORT", "4242"),
            log);
    try {
      assertThat(
              p.awaitOutput(Pattern.compile("READY port=(\\d+)"), Duration.ofSeconds(10)).group(1))
          .isEqualTo("4242");
      assertThat(Files.readString(log)).startsWith("READY port=1\n").contains("READY port=4242");
    } finally {
      p.kill9();
    }
    assertThat(p.isAlive()).isFalse();
  }

  @Test
  void waitingForOutputFailsAtOnceWhenTheProcessExits() {
    ChildProcess p =
        ChildProcess.start(
            List.of("sh", "-c", "echo boom; exit 3"), Map.of(), dir.resolve("p.log"));
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> p.awaitOutput(Pattern.compile("READY"), Duration.ofSeconds(30)))
        .isInstanceOf(ProcessExitedException.class)
        .hasMessageContaining("exited with 3")
        .hasMessageContaining("boom");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void stopSendsSigtermSoTheChildsHandlersRun() throws Exception {
    ChildProcess p =
        ChildProcess.start(
            List.of(
                "sh",
                "-c",
                "trap 'echo TERM; exit 0' TERM; echo UP; " + "while true; do sleep 0.05; done"),
            Map.of(),
            dir.resolve("p.log"));
    p.awaitOutput(Pattern.compile("UP"), Duration.ofSeconds(10));
    p.stop();
    assertThat(p.isAlive()).isFalse();
    assertThat(p.output()).contains("TERM");
  }

  @Test
  void kill9GivesTheChildNoChanceToClean() throws Exception {
    ChildProcess p =
        ChildProcess.start(
            List.of(
                "sh",
                "-c",
                "trap 'echo TERM; exit 0' TERM; echo UP; " + "while true; do sleep 0.05; done"),
            Map.of(),
            dir.resolve("p.log"));
    p.awaitOutput(Pattern.compile("UP"), Duration.ofSeconds(10));
    p.kill9();
    assertThat(p.isAlive()).isFalse();
    assertThat(p.output()).doesNotContain("TERM");
  }

  @Test
  void javaCommandRunsThisJvmsJava() {
    List<String> cmd = ChildProcess.javaCommand("cp", List.of("-Dx=1"), "a.Main", List.of("arg"));
    assertThat(cmd.get(0)).endsWith("/bin/java");
    assertThat(cmd.subList(1, cmd.size()))
        .containsExactly("-Xmx512m", "-Dx=1", "-cp", "cp", "a.Main", "arg");
  }

  @Test
  void stopAndKill9TakeTheChildsOwnChildrenWithThem() throws Exception {
    for (boolean crash : new boolean[] {false, true}) {
      Path log = dir.resolve("tree-" + crash + ".log");
      // a shell that starts a grandchild, as Hypercorn starts its workers
      ChildProcess p =
          ChildProcess.start(
              List.of("sh", "-c", "sleep 300 & echo \"grandchild $!\"; wait"), Map.of(), log);
      long grandchild =
          Long.parseLong(
              p.awaitOutput(Pattern.compile("grandchild (\\d+)"), Duration.ofSeconds(10)).group(1));
      assertThat(ProcessHandle.of(grandchild)).isPresent();
      if (crash) {
        p.kill9();
      } else {
        p.stop();
      }
      Wait.until(
          "grandchild " + grandchild + " gone",
          Duration.ofSeconds(10),
          () -> ProcessHandle.of(grandchild).map(h -> !h.isAlive()).orElse(true));
    }
  }
}
