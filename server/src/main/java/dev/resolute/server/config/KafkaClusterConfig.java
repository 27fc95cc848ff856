package dev.resolute.server.config;

import java.util.List;
import java.util.Map;

/**
 * One {@code [[ingress.kafka-clusters]]} entry, restate-server's static (deprecated there, still
 * honoured) way to declare a Kafka cluster: it is listed by the admin API beside the clusters
 * created through it, cannot be changed or deleted there, and subscriptions may name it.
 *
 * @param name the cluster's name, as subscriptions' {@code kafka://NAME/topic} sources use it
 * @param brokers initial brokers ({@code host:port}); become the {@code metadata.broker.list}
 *     property, as restate-server does
 * @param options every other key of the entry: librdkafka client properties, as strings
 */
public record KafkaClusterConfig(String name, List<String> brokers, Map<String, String> options) {
  public KafkaClusterConfig {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("ingress.kafka-clusters: every cluster needs a name");
    }
    if (brokers == null || brokers.isEmpty()) {
      throw new IllegalArgumentException(
          "ingress.kafka-clusters: cluster '" + name + "' needs a non-empty brokers list");
    }
    brokers = List.copyOf(brokers);
    options = Map.copyOf(options);
  }

  /** The client properties: the options plus {@code metadata.broker.list}. */
  public Map<String, String> properties() {
    Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("metadata.broker.list", String.join(",", brokers));
    options.forEach(p::putIfAbsent);
    return p;
  }
}
