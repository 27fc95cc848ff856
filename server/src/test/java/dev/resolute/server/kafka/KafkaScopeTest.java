package dev.resolute.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The scope and limit key a Kafka record's headers give its invocation. */
class KafkaScopeTest {
  static RecordHeaders headers(String... kv) {
    RecordHeaders h = new RecordHeaders();
    for (int i = 0; i < kv.length; i += 2) {
      h.add(kv[i], kv[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return h;
  }

  @Test
  void scopeAndLimitKeyComeFromRestatesHeaders() {
    assertThat(KafkaIngress.scope(headers())).isNull();
    assertThat(KafkaIngress.scope(headers("x-restate-scope", "tenant1")))
        .isEqualTo(new KafkaIngress.Scope("tenant1", null));
    assertThat(
            KafkaIngress.scope(
                headers("x-restate-scope", "tenant1", "x-restate-limit-key", "user7/job")))
        .isEqualTo(new KafkaIngress.Scope("tenant1", "user7/job"));
    // a limit key without a scope is ignored, as on the ingress
    assertThat(KafkaIngress.scope(headers("x-restate-limit-key", "user7"))).isNull();
    // the last header of a name wins
    assertThat(KafkaIngress.scope(headers("x-restate-scope", "a", "x-restate-scope", "b")))
        .isEqualTo(new KafkaIngress.Scope("b", null));
  }

  @Test
  void malformedValuesAreRefused() {
    assertThatThrownBy(() -> KafkaIngress.scope(headers("x-restate-scope", "a/b")))
        .hasMessageContaining("invalid x-restate-scope 'a/b'");
    assertThatThrownBy(
            () ->
                KafkaIngress.scope(headers("x-restate-scope", "t", "x-restate-limit-key", "a/b/c")))
        .hasMessageContaining("invalid x-restate-limit-key 'a/b/c'");
  }
}
