package dev.resolute.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizesTest {
  @Test
  void readsRestateServersForms() {
    assertThat(ByteSizes.parse("32.0 MiB")).isEqualTo(32L * 1024 * 1024);
    assertThat(ByteSizes.parse("2MiB")).isEqualTo(2L * 1024 * 1024);
    assertThat(ByteSizes.parse("10 MB")).isEqualTo(10_000_000L);
    assertThat(ByteSizes.parse("512 kib")).isEqualTo(512L * 1024);
    assertThat(ByteSizes.parse("1024")).isEqualTo(1024L);
    assertThat(ByteSizes.parse("1.5 GiB")).isEqualTo(3L * 512 * 1024 * 1024);
  }

  @Test
  void refusesWhatIsNoSize() {
    assertThatThrownBy(() -> ByteSizes.parse("MiB")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ByteSizes.parse("3 parsecs"))
        .hasMessageContaining("unknown byte size unit \"parsecs\"");
    assertThatThrownBy(() -> ByteSizes.parse("99999999 PiB")).hasMessageContaining("too large");
  }

  @Test
  void writesTheDumpConfigForm() {
    assertThat(ByteSizes.format(32L * 1024 * 1024)).isEqualTo("32.0 MiB");
    assertThat(ByteSizes.format(10L * 1024 * 1024)).isEqualTo("10.0 MiB");
    assertThat(ByteSizes.format(100)).isEqualTo("100 B");
  }

  @Test
  void theInvokerMessageSizeKeysAreApplied() {
    ServerConfig c =
        ConfigLoader.load(
            null,
            java.util.Map.of(
                "RESTATE_WORKER__INVOKER__MESSAGE_SIZE_LIMIT", "2 MiB",
                "RESTATE_WORKER__INVOKER__MESSAGE_SIZE_WARNING", "1 MiB"),
            java.util.Map.of());
    assertThat(c.worker().invoker().messageSizeLimit()).isEqualTo(2L * 1024 * 1024);
    assertThat(c.worker().invoker().messageSizeWarning()).isEqualTo(1024L * 1024);
    assertThat(c.toToml())
        .contains("message-size-limit = \"2.0 MiB\"")
        .contains("message-size-warning = \"1.0 MiB\"");
  }
}
