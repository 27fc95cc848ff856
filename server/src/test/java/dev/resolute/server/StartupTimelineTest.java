package dev.resolute.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupTimelineTest {
  @TempDir Path dir;

  @Test
  void theLineNamesEachStepInOrderWithItsWallAndCpuTimeAndTheTotal() throws Exception {
    StartupTimeline t = StartupTimeline.startingNow();
    t.step("store");
    Thread.sleep(20);
    t.step("log");
    String line = t.toString();
    assertThat(line)
        .startsWith(StartupTimeline.PREFIX)
        .containsPattern(" store \\d+/\\d+, log (\\d+)/\\d+, total \\d+/\\d+$");
    assertThat(t.totalWallMillis()).isGreaterThanOrEqualTo(20);
  }

  @Test
  void sinceProcessStartBeginsWithTheJvmStep() {
    StartupTimeline t = StartupTimeline.sinceProcessStart();
    assertThat(t.toString()).containsPattern(": jvm \\d+/\\d+,");
    assertThat(t.totalCpuMillis()).isPositive(); // this JVM has run code before main's tests
  }

  /** Without -XX:+RecordDynamicDumpInfo the dump fails: no archive, no temporary file left. */
  @Test
  void aFailedDumpLeavesNoFileBehind() throws Exception {
    Path archive = dir.resolve("a.jsa");
    ClassDataArchive a = new ClassDataArchive(archive);
    a.writeAtStop(); // nothing answered: nothing written, nothing tried
    a.write();
    try (var files = Files.list(dir)) {
      assertThat(files.toList()).isEmpty();
    }
  }
}
