package dev.resolute.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestDataTest {
  @TempDir Path dir;

  @Test
  void deletesAWholeTreeAndToleratesAMissingOne() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("db/nested"));
    Files.writeString(data.resolve("db/nested/000001.sst"), "x");
    Files.writeString(data.resolve("log-segment"), "y");
    Files.writeString(dir.resolve("server.log"), "kept");
    TestData.delete(data);
    assertThat(data).doesNotExist();
    assertThat(dir.resolve("server.log")).hasContent("kept");
    TestData.delete(data); // already gone: nothing to do
  }

  @Test
  void theSystemPropertyKeepsTheData() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    System.setProperty("resolute.keepTestData", "true");
    try {
      TestData.deleteUnlessKept(data);
      assertThat(data).exists();
    } finally {
      System.clearProperty("resolute.keepTestData");
    }
    if (!TestData.keep()) { // unless the run itself keeps data (RESOLUTE_KEEP_TEST_DATA)
      TestData.deleteUnlessKept(data);
      assertThat(data).doesNotExist();
    }
  }
}
