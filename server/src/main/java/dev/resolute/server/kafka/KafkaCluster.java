package dev.resolute.server.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Kafka cluster subscriptions can read from: its name (the authority of {@code
 * kafka://<name>/<topic>}) and its client properties in librdkafka's vocabulary, as Restate takes
 * them ({@code bootstrap.servers} or {@code metadata.broker.list} required).
 *
 * @param createdAt RFC 3339 with nanoseconds, as restate-server prints it
 * @param fromConfig declared in the configuration file ({@code [[ingress.kafka-clusters]]}) rather
 *     than created through the admin API; such a cluster cannot be changed or deleted there
 */
public record KafkaCluster(
    String name, Map<String, String> properties, String createdAt, boolean fromConfig) {
  static final String REDACTED = "***";

  public KafkaCluster {
    properties = Map.copyOf(properties);
  }

  /**
   * A cluster from the configuration ({@code [[ingress.kafka-clusters]]}), created "at the epoch"
   * as restate-server shows it.
   *
   * @throws IllegalArgumentException naming a property the Java client cannot be given
   */
  public static KafkaCluster fromConfig(String name, Map<String, String> properties) {
    ClientProperties.toJava(properties);
    return new KafkaCluster(name, properties, "1970-01-01T00:00:00Z", true);
  }

  /** The properties with secrets replaced by {@code ***}, for every admin answer. */
  public Map<String, String> redactedProperties() {
    return redact(properties);
  }

  /** {@code props} with secrets replaced by {@code ***} (subscription options too). */
  public static Map<String, String> redactedCopy(Map<String, String> props) {
    return redact(props);
  }

  static Map<String, String> redact(Map<String, String> props) {
    Map<String, String> out = new TreeMap<>();
    props.forEach((k, v) -> out.put(k, isSensitive(k) ? REDACTED : v));
    return out;
  }

  /** Keys whose values are credentials (restate-server's list, from librdkafka's documentation). */
  static boolean isSensitive(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("secret")
        || k.contains("passphrase")
        || k.contains("sasl.username")
        || k.contains("sasl.jaas.config")
        || k.contains("sasl.oauthbearer.config")
        || k.contains("token.endpoint.url")
        || k.contains("ssl.key.location")
        || k.contains("ssl.key.pem");
  }
}
