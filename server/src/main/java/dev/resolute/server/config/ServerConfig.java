package dev.resolute.server.config;

import dev.resolute.server.schema.SchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The effective server configuration: defaults &lt; TOML file &lt; {@code RESTATE_…} environment
 * &lt; command line. Built by {@link ConfigLoader}; key names are restate-server's.
 *
 * @param baseDir {@code base-dir}, default {@code ./restate-data}
 * @param nodeName {@code node-name}; restate-server defaults to the hostname, Resolute to {@code
 *     "resolute"} so the data directory does not move when the machine is renamed
 * @param clusterName {@code cluster-name}, default {@code localcluster}
 * @param defaultNumPartitions {@code default-num-partitions}, default 24, 1..65535; fixed at the
 *     first start of a data directory (see {@link NodeMarker})
 * @param maxJournalRetention {@code max-journal-retention}: every handler's journal retention is
 *     capped at it when its deployment is registered; null (the default) = no cap
 * @param logging {@code log-filter}, {@code log-format}
 * @param resolute {@code [resolute]}: Resolute's own settings
 * @param node the node port ({@code bind-address}, {@code disable-prometheus})
 * @param tracing {@code tracing-endpoint} / {@code tracing-services-endpoint}, {@code
 *     tracing-headers}
 * @param cluster {@code [cluster]}: cluster mode on Kafka, off by default
 */
public record ServerConfig(
    Path baseDir,
    String nodeName,
    String clusterName,
    int defaultNumPartitions,
    Duration defaultJournalRetention,
    Duration defaultIdempotencyRetention,
    Duration defaultWorkflowCompletionRetention,
    RetryPolicyConfig defaultRetryPolicy,
    IngressConfig ingress,
    AdminConfig admin,
    WorkerConfig worker,
    Duration maxJournalRetention,
    LoggingConfig logging,
    ResoluteConfig resolute,
    NodeConfig node,
    TracingConfig tracing,
    ClusterConfig cluster) {

  public static final Path DEFAULT_BASE_DIR = Path.of("restate-data");
  public static final String DEFAULT_NODE_NAME = "resolute";
  public static final String DEFAULT_CLUSTER_NAME = "localcluster";
  public static final int DEFAULT_NUM_PARTITIONS = 24;

  public ServerConfig {
    Objects.requireNonNull(baseDir, "base-dir");
    checkName("node-name", nodeName);
    checkName("cluster-name", clusterName);
    if (defaultNumPartitions < 1 || defaultNumPartitions > 65535) {
      throw new IllegalArgumentException(
          "default-num-partitions must be in 1..65535, got " + defaultNumPartitions);
    }
    checkRetention("default-journal-retention", defaultJournalRetention);
    checkRetention("default-idempotency-retention", defaultIdempotencyRetention);
    checkRetention("default-workflow-completion-retention", defaultWorkflowCompletionRetention);
    Objects.requireNonNull(defaultRetryPolicy, "default-retry-policy");
    Objects.requireNonNull(ingress, "ingress");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(worker, "worker");
    if (maxJournalRetention != null && maxJournalRetention.isNegative()) {
      throw new IllegalArgumentException("max-journal-retention must not be negative");
    }
    Objects.requireNonNull(logging, "logging");
    Objects.requireNonNull(resolute, "resolute");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(tracing, "tracing");
    Objects.requireNonNull(cluster, "cluster");
    if (cluster.enabled()
        && worker.invoker().messageSizeLimit() > ClusterConfig.MAX_MESSAGE_SIZE_LIMIT) {
      throw new IllegalArgumentException(
          "worker.invoker.message-size-limit must be at most "
              + ClusterConfig.MAX_MESSAGE_SIZE_LIMIT
              + " bytes in cluster mode (a journal entry is one record of the cluster's log, which"
              + " takes records up to "
              + ClusterConfig.MAX_LOG_RECORD_BYTES
              + " bytes), got "
              + worker.invoker().messageSizeLimit());
    }
  }

  /** Without cluster mode (the default). */
  public ServerConfig(
      Path baseDir,
      String nodeName,
      String clusterName,
      int defaultNumPartitions,
      Duration defaultJournalRetention,
      Duration defaultIdempotencyRetention,
      Duration defaultWorkflowCompletionRetention,
      RetryPolicyConfig defaultRetryPolicy,
      IngressConfig ingress,
      AdminConfig admin,
      WorkerConfig worker,
      Duration maxJournalRetention,
      LoggingConfig logging,
      ResoluteConfig resolute,
      NodeConfig node,
      TracingConfig tracing) {
    this(
        baseDir,
        nodeName,
        clusterName,
        defaultNumPartitions,
        defaultJournalRetention,
        defaultIdempotencyRetention,
        defaultWorkflowCompletionRetention,
        defaultRetryPolicy,
        ingress,
        admin,
        worker,
        maxJournalRetention,
        logging,
        resolute,
        node,
        tracing,
        ClusterConfig.disabled());
  }

  /** Without tracing (the default). */
  public ServerConfig(
      Path baseDir,
      String nodeName,
      String clusterName,
      int defaultNumPartitions,
      Duration defaultJournalRetention,
      Duration defaultIdempotencyRetention,
      Duration defaultWorkflowCompletionRetention,
      RetryPolicyConfig defaultRetryPolicy,
      IngressConfig ingress,
      AdminConfig admin,
      WorkerConfig worker,
      Duration maxJournalRetention,
      LoggingConfig logging,
      ResoluteConfig resolute,
      NodeConfig node) {
    this(
        baseDir,
        nodeName,
        clusterName,
        defaultNumPartitions,
        defaultJournalRetention,
        defaultIdempotencyRetention,
        defaultWorkflowCompletionRetention,
        defaultRetryPolicy,
        ingress,
        admin,
        worker,
        maxJournalRetention,
        logging,
        resolute,
        node,
        TracingConfig.disabled());
  }

  /**
   * restate-server's sections only; {@code max-journal-retention}, logging, Resolute's own settings
   * and the node port take their defaults.
   */
  public ServerConfig(
      Path baseDir,
      String nodeName,
      String clusterName,
      int defaultNumPartitions,
      Duration defaultJournalRetention,
      Duration defaultIdempotencyRetention,
      Duration defaultWorkflowCompletionRetention,
      RetryPolicyConfig defaultRetryPolicy,
      IngressConfig ingress,
      AdminConfig admin,
      WorkerConfig worker) {
    this(
        baseDir,
        nodeName,
        clusterName,
        defaultNumPartitions,
        defaultJournalRetention,
        defaultIdempotencyRetention,
        defaultWorkflowCompletionRetention,
        defaultRetryPolicy,
        ingress,
        admin,
        worker,
        null,
        LoggingConfig.defaults(),
        ResoluteConfig.defaults(),
        NodeConfig.defaults());
  }

  private static void checkName(String key, String v) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(key + " must not be empty");
    }
    if (v.contains("/") || v.contains("\\") || v.equals(".") || v.equals("..")) {
      throw new IllegalArgumentException(key + " must not contain path separators: '" + v + "'");
    }
  }

  private static void checkRetention(String key, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(key + " must not be negative");
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(
        DEFAULT_BASE_DIR,
        DEFAULT_NODE_NAME,
        DEFAULT_CLUSTER_NAME,
        DEFAULT_NUM_PARTITIONS,
        Duration.ofDays(1),
        Duration.ofDays(1),
        Duration.ofDays(1),
        RetryPolicyConfig.defaults(),
        IngressConfig.defaults(),
        AdminConfig.defaults(),
        WorkerConfig.defaults());
  }

  /**
   * The defaults every service and handler without a setting of its own gets: the retentions, the
   * {@code [worker.invoker]} timeouts, the default retry policy and the journal retention cap. The
   * schema registry resolves them into each handler's effective options, so they reach every
   * invocation.
   */
  public SchemaRegistry.Defaults schemaDefaults() {
    return new SchemaRegistry.Defaults(
        defaultIdempotencyRetention,
        defaultJournalRetention,
        defaultWorkflowCompletionRetention,
        worker.invoker().inactivityTimeout(),
        worker.invoker().abortTimeout(),
        defaultRetryPolicy.toRetryPolicy(),
        maxJournalRetention);
  }

  /** Where this node keeps its data: {@code <base-dir>/<node-name>}. */
  public Path dataDir() {
    return baseDir.resolve(nodeName);
  }

  /** The effective configuration as TOML, in the layout of {@code restate-server --dump-config}. */
  public String toToml() {
    return TomlDump.dump(this);
  }
}
