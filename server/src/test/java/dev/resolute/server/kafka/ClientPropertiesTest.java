package dev.resolute.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientPropertiesTest {

  @Test
  void librdkafkaNamesAndValuesBecomeTheJavaClientsOnes() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("metadata.broker.list", "PLAINTEXT://a:9092, b:9093");
    p.put("auto.offset.reset", "smallest");
    p.put("security.protocol", "sasl_ssl");
    p.put("sasl.mechanisms", "scram-sha-256");
    p.put("sasl.username", "user");
    p.put("sasl.password", "p\"w");
    p.put("fetch.wait.max.ms", "50");
    p.put("partition.assignment.strategy", "cooperative-sticky");
    p.put("ssl.ca.location", "/etc/ca.pem");
    p.put("enable.auto.commit", "true");
    Map<String, Object> j = ClientProperties.toJava(p);
    assertThat(j)
        .containsEntry("bootstrap.servers", "a:9092,b:9093")
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
        .containsEntry("fetch.max.wait.ms", "50")
        .containsEntry(
            "partition.assignment.strategy",
            "org.apache.kafka.clients.consumer.CooperativeStickyAssignor")
        .containsEntry("ssl.truststore.location", "/etc/ca.pem")
        .containsEntry("ssl.truststore.type", "PEM")
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"user\""
                + " password=\"p\\\"w\";")
        .doesNotContainKey("enable.auto.commit");
  }

  @Test
  void whatCannotBeMappedIsRefusedByName() {
    assertThatThrownBy(() -> ClientProperties.toJava(Map.of("queued.max.messages.kbytes", "1")))
        .hasMessageStartingWith(
            "Kafka client property [queued.max.messages.kbytes] not supported by Resolute");
    assertThatThrownBy(() -> ClientProperties.toJava(Map.of("auto.offset.reset", "sometime")))
        .hasMessageContaining("auto.offset.reset: unknown value 'sometime'");
    assertThatThrownBy(() -> ClientProperties.toJava(Map.of("sasl.username", "u")))
        .hasMessage("sasl.username and sasl.password must be set together");
  }
}
