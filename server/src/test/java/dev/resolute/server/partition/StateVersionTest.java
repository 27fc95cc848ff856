package dev.resolute.server.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateVersionTest {
  private static byte[][] entry(String name, String value) {
    return new byte[][] {
      name.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)
    };
  }

  @Test
  void isRestateServersVersionOfTheState() {
    // restate-server 1.7.12 accepted this version for the state {a: "\"hello\""} (observed)
    assertThat(Control.stateVersion(List.<byte[][]>of(entry("a", "\"hello\""))))
        .isEqualTo("8aBpabM8c3mwrMFSOkklxfyYot5Vbr7HeL19a2X5ZmI");
  }

  @Test
  void doesNotDependOnTheOrderOfTheEntries() {
    assertThat(Control.stateVersion(List.of(entry("b", "2"), entry("a", "1"))))
        .isEqualTo(Control.stateVersion(List.of(entry("a", "1"), entry("b", "2"))))
        .isNotEqualTo(Control.stateVersion(List.of(entry("a", "2"), entry("b", "1"))));
  }
}
