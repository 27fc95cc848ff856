package dev.resolute.server.kafka;

import dev.resolute.server.schema.SchemaException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Restate takes Kafka client properties in librdkafka's vocabulary (cluster properties, then
 * subscription options on top); Resolute consumes with the Java client. This maps each property
 * onto the Java client's, and refuses by name any it cannot honour (restate-server passes unknown
 * names to librdkafka, which fails later or ignores them).
 */
final class ClientProperties {
  private ClientProperties() {}

  /** Same name, same meaning in both clients. */
  private static final Set<String> SAME =
      Set.of(
          "bootstrap.servers",
          "group.id",
          "client.id",
          "client.rack",
          "group.instance.id",
          "session.timeout.ms",
          "heartbeat.interval.ms",
          "max.poll.interval.ms",
          "fetch.min.bytes",
          "fetch.max.bytes",
          "max.partition.fetch.bytes",
          "request.timeout.ms",
          "reconnect.backoff.ms",
          "reconnect.backoff.max.ms",
          "retry.backoff.ms",
          "retry.backoff.max.ms",
          "socket.connection.setup.timeout.ms",
          "connections.max.idle.ms",
          "metadata.max.age.ms",
          "isolation.level",
          "check.crcs",
          "ssl.endpoint.identification.algorithm",
          "sasl.kerberos.service.name",
          "sasl.jaas.config");

  /** Set by Resolute's consumer itself: ignored with a warning, as restate-server does. */
  static final Set<String> IGNORED = Set.of("enable.auto.commit", "enable.auto.offset.store");

  /** librdkafka name → Java client name, for the names that differ. */
  private static final Map<String, String> RENAMED =
      Map.of(
          "metadata.broker.list", "bootstrap.servers",
          "fetch.wait.max.ms", "fetch.max.wait.ms",
          "sasl.mechanisms", "sasl.mechanism",
          "sasl.mechanism", "sasl.mechanism",
          "security.protocol", "security.protocol",
          "auto.offset.reset", "auto.offset.reset",
          "partition.assignment.strategy", "partition.assignment.strategy",
          "ssl.ca.location", "ssl.truststore.location");

  /** Handled together: user name and password become a JAAS configuration. */
  private static final Set<String> SASL_CREDENTIALS = Set.of("sasl.username", "sasl.password");

  /** Throws naming the first property that cannot be mapped, or a value that cannot be. */
  static void check(Map<String, String> props) throws SchemaException {
    try {
      toJava(props);
    } catch (IllegalArgumentException e) {
      throw new SchemaException(400, null, e.getMessage());
    }
  }

  /** The Java consumer's configuration for {@code props} (cluster properties, then options). */
  static Map<String, Object> toJava(Map<String, String> props) {
    Map<String, Object> out = new LinkedHashMap<>();
    Set<String> unknown = new TreeSet<>();
    for (Map.Entry<String, String> e : props.entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      if (IGNORED.contains(k) || SASL_CREDENTIALS.contains(k)) {
        continue;
      }
      if (SAME.contains(k)) {
        out.put(k, k.equals("bootstrap.servers") ? servers(v) : v);
      } else if (RENAMED.containsKey(k)) {
        String java = RENAMED.get(k);
        out.put(java, value(k, v));
        if (k.equals("ssl.ca.location")) {
          out.put("ssl.truststore.type", "PEM");
        }
      } else {
        unknown.add(k);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "Kafka client propert"
              + (unknown.size() == 1 ? "y " : "ies ")
              + unknown
              + " not supported by Resolute (its consumer is the Java Kafka client); supported: "
              + supported());
    }
    String user = props.get("sasl.username");
    String password = props.get("sasl.password");
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("sasl.username and sasl.password must be set together");
    }
    if (user != null && !props.containsKey("sasl.jaas.config")) {
      String mechanism = String.valueOf(out.getOrDefault("sasl.mechanism", "PLAIN"));
      String module =
          mechanism.toUpperCase(Locale.ROOT).startsWith("SCRAM")
              ? "org.apache.kafka.common.security.scram.ScramLoginModule"
              : "org.apache.kafka.common.security.plain.PlainLoginModule";
      out.put(
          "sasl.jaas.config",
          module
              + " required username=\""
              + jaas(user)
              + "\" password=\""
              + jaas(password)
              + "\";");
    }
    return out;
  }

  static String supported() {
    Set<String> all = new TreeSet<>(SAME);
    all.addAll(RENAMED.keySet());
    all.addAll(SASL_CREDENTIALS);
    return String.join(", ", all);
  }

  private static String jaas(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** librdkafka accepts {@code PLAINTEXT://host:port} entries; the Java client wants host:port. */
  private static String servers(String v) {
    StringBuilder sb = new StringBuilder();
    for (String s : v.split(",")) {
      String t = s.strip();
      int scheme = t.indexOf("://");
      if (scheme >= 0) {
        t = t.substring(scheme + 3);
      }
      if (!t.isEmpty()) {
        sb.append(sb.length() == 0 ? "" : ",").append(t);
      }
    }
    return sb.toString();
  }

  private static Object value(String key, String v) {
    String lower = v.strip().toLowerCase(Locale.ROOT);
    switch (key) {
      case "metadata.broker.list":
        return servers(v);
      case "security.protocol":
        return v.strip().toUpperCase(Locale.ROOT);
      case "sasl.mechanisms":
      case "sasl.mechanism":
        return v.strip().toUpperCase(Locale.ROOT);
      case "auto.offset.reset":
        return switch (lower) {
          case "smallest", "earliest", "beginning" -> "earliest";
          case "largest", "latest", "end" -> "latest";
          case "error" -> "none";
          default ->
              throw new IllegalArgumentException(
                  "auto.offset.reset: unknown value '"
                      + v
                      + "' (smallest, earliest, beginning, largest, latest, end, error)");
        };
      case "partition.assignment.strategy":
        {
          StringBuilder sb = new StringBuilder();
          for (String s : lower.split(",")) {
            String cls =
                switch (s.strip()) {
                  case "range" -> "org.apache.kafka.clients.consumer.RangeAssignor";
                  case "roundrobin" -> "org.apache.kafka.clients.consumer.RoundRobinAssignor";
                  case "cooperative-sticky" ->
                      "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
                  default ->
                      throw new IllegalArgumentException(
                          "partition.assignment.strategy: unknown assignor '"
                              + s.strip()
                              + "' (range, roundrobin, cooperative-sticky)");
                };
            sb.append(sb.length() == 0 ? "" : ",").append(cls);
          }
          return sb.toString();
        }
      default:
        return v;
    }
  }
}
