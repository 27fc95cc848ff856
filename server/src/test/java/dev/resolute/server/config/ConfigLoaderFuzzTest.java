package dev.resolute.server.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

/**
 * The configuration loader on an arbitrary TOML file. The contract: a {@link ServerConfig} or a
 * {@link ConfigException} (RT0002, printed without a stack trace by {@code Main}); anything else
 * would be a crash with a stack trace at start. A loaded configuration dumped as {@code
 * --dump-config} prints it loads again to the same dump.
 *
 * <p>Input: the file's bytes. Seeds: the files of {@code ConfigLoaderTest} and restate-server
 * 1.7.12's {@code --dump-config}.
 */
class ConfigLoaderFuzzTest {
  private static final Path FILE;

  static {
    try {
      Path dir = Files.createTempDirectory("config-fuzz");
      dir.toFile().deleteOnExit();
      FILE = dir.resolve("server.toml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest
  void load(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** Called once by the standalone Jazzer driver ({@code scripts/fuzz}) before fuzzing. */
  public static void fuzzerInitialize() {
    dev.resolute.server.FuzzLogging.off();
  }

  public static void fuzzerTestOneInput(byte[] input) {
    ServerConfig c;
    try {
      Files.write(FILE, input);
      c = ConfigLoader.load(FILE, Map.of(), Map.of(), new ArrayList<>());
    } catch (ConfigException refused) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String dump = TomlDump.dump(c);
    String again;
    try {
      Files.writeString(FILE, dump);
      again = TomlDump.dump(ConfigLoader.load(FILE, Map.of(), Map.of(), new ArrayList<>()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ConfigException e) {
      throw new AssertionError("the dump of a loaded configuration does not load:\n" + dump, e);
    }
    if (!again.equals(dump)) {
      throw new AssertionError(
          "dump, load, dump changed the configuration:\n" + dump + "\n" + again);
    }
  }
}
