package dev.resolute.server.log;

import java.time.Duration;
import java.util.Map;

/**
 * Where and how {@link KafkaLog} keeps the log in Kafka.
 *
 * @param bootstrapServers the Kafka cluster ({@code host:port,...})
 * @param topic the log topic: one Kafka partition per Resolute partition
 * @param replicationFactor replicas of each partition when the topic is created (default 3)
 * @param minInsyncReplicas replicas that must have a record before it is acknowledged (default 2)
 * @param appendTimeout how long an append may wait for Kafka before it fails and the log stops (the
 *     producer's {@code delivery.timeout.ms})
 * @param nodeName names this node's Kafka clients ({@code client.id})
 * @param clientProperties extra Kafka client properties (security settings and the like), applied
 *     before the log's own (which win)
 */
public record KafkaLogOptions(
    String bootstrapServers,
    String topic,
    short replicationFactor,
    int minInsyncReplicas,
    Duration appendTimeout,
    String nodeName,
    Map<String, Object> clientProperties) {
  public static final short DEFAULT_REPLICATION_FACTOR = 3;
  public static final int DEFAULT_MIN_INSYNC_REPLICAS = 2;
  public static final Duration DEFAULT_APPEND_TIMEOUT = Duration.ofSeconds(30);

  public KafkaLogOptions {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("the Kafka bootstrap servers must be set");
    }
    if (topic == null || !topic.matches("[a-zA-Z0-9._-]{1,249}")) {
      throw new IllegalArgumentException(
          "the log topic must be 1 to 249 characters of a-z, A-Z, 0-9, '.', '_' and '-', got '"
              + topic
              + "'");
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "the replication factor must be at least 1, got " + replicationFactor);
    }
    if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
      throw new IllegalArgumentException(
          "min.insync.replicas must be between 1 and the replication factor ("
              + replicationFactor
              + "), got "
              + minInsyncReplicas);
    }
    if (appendTimeout == null || appendTimeout.toMillis() < 1000) {
      throw new IllegalArgumentException("the append timeout must be at least 1s");
    }
    nodeName = nodeName == null || nodeName.isBlank() ? "resolute" : nodeName;
    clientProperties = Map.copyOf(clientProperties == null ? Map.of() : clientProperties);
  }

  /** A single-broker setup (replication 1): for tests and development. */
  public static KafkaLogOptions singleBroker(String bootstrapServers, String topic) {
    return new KafkaLogOptions(
        bootstrapServers, topic, (short) 1, 1, DEFAULT_APPEND_TIMEOUT, "resolute", Map.of());
  }
}
