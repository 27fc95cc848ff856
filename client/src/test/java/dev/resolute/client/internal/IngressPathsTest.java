package dev.resolute.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.common.Target;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IngressPathsTest {
  @Test
  void callPaths() {
    assertThat(IngressPaths.call(Target.service("Greeter", "greet"))).isEqualTo("/Greeter/greet");
    assertThat(IngressPaths.call(Target.virtualObject("Cart", "a b/c+é", "add")))
        .isEqualTo("/Cart/a%20b%2Fc%2B%C3%A9/add");
  }

  @Test
  void sendWithAndWithoutDelay() {
    Target t = Target.service("S", "h");
    assertThat(IngressPaths.send(t, null)).isEqualTo("/S/h/send");
    assertThat(IngressPaths.send(t, Duration.ZERO)).isEqualTo("/S/h/send");
    assertThat(IngressPaths.send(t, Duration.ofSeconds(-1))).isEqualTo("/S/h/send");
    assertThat(IngressPaths.send(t, Duration.ofMillis(1500))).isEqualTo("/S/h/send?delay=1500ms");
  }

  @Test
  void handlePaths() {
    assertThat(IngressPaths.invocation("inv_1abc")).isEqualTo("/restate/invocation/inv_1abc");
    assertThat(IngressPaths.idempotentInvocation(Target.service("S", "h"), "k 1"))
        .isEqualTo("/restate/invocation/S/h/k%201");
    assertThat(IngressPaths.idempotentInvocation(Target.virtualObject("O", "key", "h"), "k"))
        .isEqualTo("/restate/invocation/O/key/h/k");
    assertThat(IngressPaths.workflow("Wf", "id/1")).isEqualTo("/restate/workflow/Wf/id%2F1");
    assertThat(IngressPaths.awakeable("sign_1x", "resolve"))
        .isEqualTo("/restate/awakeables/sign_1x/resolve");
  }
}
