package dev.resolute.server.config;

import java.util.List;
import java.util.Objects;

/**
 * {@code [ingress]}: the HTTP ingress (invocations, awakeables, attach/output).
 *
 * @param requestSizeLimit {@code request-size-limit}: the largest request body in bytes (default 32
 *     MiB, as restate-server); a larger one is answered 413
 * @param kafkaClusters {@code [[ingress.kafka-clusters]]}: Kafka clusters declared statically
 */
public record IngressConfig(
    BindAddress bindAddress, long requestSizeLimit, List<KafkaClusterConfig> kafkaClusters) {
  public static final BindAddress DEFAULT_BIND = new BindAddress("0.0.0.0", 8080);
  public static final long DEFAULT_REQUEST_SIZE_LIMIT = 32L * 1024 * 1024;

  public IngressConfig {
    Objects.requireNonNull(bindAddress, "ingress.bind-address");
    kafkaClusters = List.copyOf(kafkaClusters);
    java.util.Set<String> names = new java.util.HashSet<>();
    for (KafkaClusterConfig c : kafkaClusters) {
      if (!names.add(c.name())) {
        throw new IllegalArgumentException(
            "ingress.kafka-clusters: cluster name '" + c.name() + "' is declared twice");
      }
    }
    if (requestSizeLimit < 1 || requestSizeLimit > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "ingress.request-size-limit must be in 1.." + Integer.MAX_VALUE + " bytes");
    }
  }

  public IngressConfig(BindAddress bindAddress) {
    this(bindAddress, DEFAULT_REQUEST_SIZE_LIMIT);
  }

  public IngressConfig(BindAddress bindAddress, long requestSizeLimit) {
    this(bindAddress, requestSizeLimit, List.of());
  }

  public static IngressConfig defaults() {
    return new IngressConfig(DEFAULT_BIND);
  }
}
