package dev.resolute.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node port's keys: {@code bind-address} and {@code disable-prometheus}, as restate-server. */
class NodeConfigTest {
  @Test
  void defaultsAreRestateServers() {
    ServerConfig c = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(c.node().bindAddress()).isEqualTo(new BindAddress("0.0.0.0", 5122));
    assertThat(c.node().disablePrometheus()).isFalse();
  }

  @Test
  void readFromEnvAndDumpedBack() {
    ServerConfig c =
        ConfigLoader.load(
            null,
            Map.of("RESTATE_BIND_ADDRESS", "127.0.0.1:0", "RESTATE_DISABLE_PROMETHEUS", "true"),
            Map.of());
    assertThat(c.node()).isEqualTo(new NodeConfig(new BindAddress("127.0.0.1", 0), true));
    assertThat(c.toToml()).contains("bind-address = \"127.0.0.1:0\"", "disable-prometheus = true");
  }

  @Test
  void readFromTomlBooleans() throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("node", ".toml");
    try {
      java.nio.file.Files.writeString(
          f, "bind-address = \"127.0.0.1:5999\"\ndisable-prometheus = true\n");
      ServerConfig c = ConfigLoader.load(f, Map.of(), Map.of());
      assertThat(c.node()).isEqualTo(new NodeConfig(new BindAddress("127.0.0.1", 5999), true));
    } finally {
      java.nio.file.Files.deleteIfExists(f);
    }
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of("RESTATE_DISABLE_PROMETHEUS", "yes"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("disable-prometheus")
        .hasMessageContaining("expected a boolean");
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of("RESTATE_BIND_ADDRESS", "nowhere"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bind-address");
  }
}
