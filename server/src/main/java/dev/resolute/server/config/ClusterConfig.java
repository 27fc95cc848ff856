package dev.resolute.server.config;

import java.time.Duration;

/**
 * {@code [cluster]}: cluster mode on Apache Kafka, Resolute's own section (restate-server's cluster
 * keys name its own replicated log and metadata server, which Resolute does not have). The section
 * is off unless {@code bootstrap-servers} is set and not empty: a node without it is a whole
 * single-node cluster on its local log and needs no Kafka, and the section's other keys are checked
 * and applied only in cluster mode.
 *
 * @param nodeId {@code node-id}: this node's id in the cluster, 1..65535, unique per node (stamped
 *     on the records it appends as a leader and on its ingress waiter ids); 0 when off
 * @param bootstrapServers {@code bootstrap-servers}: the Kafka cluster ({@code host:port,...}), or
 *     null: cluster mode off
 * @param topic {@code topic}: the log topic, one Kafka partition per Resolute partition (default
 *     {@code <cluster-name>-log})
 * @param replicationFactor {@code replication-factor}: replicas of the log topic when a node
 *     creates it (default 3)
 * @param minInsyncReplicas {@code min-insync-replicas}: replicas that must have a record before it
 *     is acknowledged (default 2)
 * @param warmFollowers {@code warm-followers}: every node applies every partition into its own
 *     store, so a new leader serves at once and reads are local (default true). False: a node
 *     applies only the partitions it leads (and, for the moment of a read, the others); a partition
 *     it takes over catches up first from the newest snapshot that covers it and the log's tail.
 *     Every node of a cluster must have the same value
 * @param sessionTimeout {@code session-timeout}: how long a silent node keeps its partitions before
 *     the others take them over (Kafka's consumer {@code session.timeout.ms}, default 6s: the
 *     broker's default {@code group.min.session.timeout.ms}; lower needs the broker's minimum
 *     lower)
 * @param appendTimeout {@code append-timeout}: how long an append may wait for Kafka (the
 *     producer's {@code delivery.timeout.ms}, default 30s); past it the append fails, the node
 *     stops leading and takes appends again through a new producer
 * @param fencing {@code fencing}: how a stale leader is kept out of the log. {@code "epoch"}
 *     (default): every record carries its leader's epoch and apply ignores those of a fenced epoch;
 *     a paused old leader can still append, its records are ignored. {@code "transactional"}: as
 *     {@code epoch}, and each partition's leader appends its own records through a Kafka
 *     transactional producer of the partition ({@code transactional.id = <topic>-p<partition>})
 *     that fences the previous leader's when it opens, so a stale leader cannot append at all; one
 *     transaction per group commit, which costs a multiple of the latency and broker CPU of an
 *     epoch append (BENCHMARKS.md, "Cluster mode")
 */
public record ClusterConfig(
    int nodeId,
    String bootstrapServers,
    String topic,
    short replicationFactor,
    int minInsyncReplicas,
    boolean warmFollowers,
    Duration sessionTimeout,
    Duration appendTimeout,
    Fencing fencing) {
  /** {@code cluster.fencing}: see the record's comment. */
  public enum Fencing {
    EPOCH("epoch"),
    TRANSACTIONAL("transactional");

    private final String key;

    Fencing(String key) {
      this.key = key;
    }

    /** The TOML value. */
    public String key() {
      return key;
    }

    /** The value of a TOML string, or null. */
    public static Fencing of(String value) {
      for (Fencing f : values()) {
        if (f.key.equals(value)) {
          return f;
        }
      }
      return null;
    }
  }

  public static final Fencing DEFAULT_FENCING = Fencing.EPOCH;

  public static final short DEFAULT_REPLICATION_FACTOR = 3;
  public static final int DEFAULT_MIN_INSYNC_REPLICAS = 2;
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(6);
  public static final Duration DEFAULT_APPEND_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The largest record the cluster's log takes: above the largest request body the ingress accepts
   * (32 MiB) and a deployment's largest protocol message with the envelope around them.
   */
  public static final int MAX_LOG_RECORD_BYTES = 48 * 1024 * 1024;

  /**
   * The largest {@code worker.invoker.message-size-limit} in cluster mode: a message and the record
   * envelope around it (a few hundred bytes; 64 KiB kept) fit in one log record.
   */
  public static final int MAX_MESSAGE_SIZE_LIMIT = MAX_LOG_RECORD_BYTES - 64 * 1024;

  public ClusterConfig {
    fencing = fencing == null ? DEFAULT_FENCING : fencing;
    if (bootstrapServers != null) {
      if (bootstrapServers.isBlank()) {
        throw new IllegalArgumentException("cluster.bootstrap-servers must not be empty");
      }
      if (nodeId < 1 || nodeId > 65535) {
        throw new IllegalArgumentException(
            "cluster.node-id must be set to 1..65535 in cluster mode, got " + nodeId);
      }
      if (topic == null || !topic.matches("[a-zA-Z0-9._-]{1,249}")) {
        throw new IllegalArgumentException(
            "cluster.topic must be 1 to 249 characters of a-z, A-Z, 0-9, '.', '_' and '-', got '"
                + topic
                + "'");
      }
      if (replicationFactor < 1) {
        throw new IllegalArgumentException(
            "cluster.replication-factor must be at least 1, got " + replicationFactor);
      }
      if (minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
        throw new IllegalArgumentException(
            "cluster.min-insync-replicas must be in 1..replication-factor ("
                + replicationFactor
                + "), got "
                + minInsyncReplicas);
      }
      if (sessionTimeout == null || sessionTimeout.toMillis() < 500) {
        throw new IllegalArgumentException("cluster.session-timeout must be at least 500ms");
      }
      if (appendTimeout == null || appendTimeout.toMillis() < 1000) {
        throw new IllegalArgumentException("cluster.append-timeout must be at least 1s");
      }
    }
  }

  /** Cluster mode off: the single node on its local log. */
  public static ClusterConfig disabled() {
    return new ClusterConfig(
        0,
        null,
        null,
        DEFAULT_REPLICATION_FACTOR,
        DEFAULT_MIN_INSYNC_REPLICAS,
        true,
        DEFAULT_SESSION_TIMEOUT,
        DEFAULT_APPEND_TIMEOUT,
        DEFAULT_FENCING);
  }

  public boolean enabled() {
    return bootstrapServers != null;
  }

  /** The default log topic of a cluster. */
  public static String defaultTopic(String clusterName) {
    return clusterName + "-log";
  }
}
