package dev.resolute.server.config;

import dev.resolute.server.schema.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link ServerConfig} from defaults, an optional TOML file, {@code RESTATE_…} environment
 * variables and command-line overrides, in that order of precedence (last wins). Unknown keys and
 * malformed values throw {@link ConfigException} naming the key and its source. Keys restate-server
 * knows but Resolute does not implement are accepted and ignored, so a restate-server configuration
 * file (even its full {@code --dump-config}) loads.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * @param configFile TOML file or null
   * @param env the process environment (only {@code RESTATE_*} entries are read)
   * @param cli dotted key → value from command-line options, e.g. {@code "base-dir" → "/data"}
   */
  public static ServerConfig load(
      Path configFile, Map<String, String> env, Map<String, String> cli) {
    return load(configFile, env, cli, new ArrayList<>());
  }

  /**
   * As {@link #load(Path, Map, Map)}; {@code notes} receives one line per set restate-server key
   * that Resolute accepts but applies differently (each is also logged as a warning).
   */
  public static ServerConfig load(
      Path configFile, Map<String, String> env, Map<String, String> cli, List<String> notes) {
    ConfigTree tree = new ConfigTree();
    if (configFile != null) {
      tree.mergeTomlFile(configFile);
    }
    tree.mergeEnv(env);
    cli.forEach((k, v) -> tree.putCli(k, v, "--" + k));
    return read(new Section("", tree.root), notes);
  }

  private static ServerConfig read(Section root, List<String> notes) {
    ServerConfig d = ServerConfig.defaults();
    Path baseDir = root.path("base-dir", d.baseDir());
    String nodeName = root.string("node-name", d.nodeName());
    String clusterName = root.string("cluster-name", d.clusterName());
    long partitions = root.integer("default-num-partitions", d.defaultNumPartitions());
    if (partitions < 1 || partitions > 65535) {
      throw new ConfigException(
          "default-num-partitions must be in 1..65535, got "
              + partitions
              + " for key \"default-num-partitions\"");
    }
    Duration journal = root.duration("default-journal-retention", d.defaultJournalRetention());
    Duration idem = root.duration("default-idempotency-retention", d.defaultIdempotencyRetention());
    Duration wf =
        root.duration(
            "default-workflow-completion-retention", d.defaultWorkflowCompletionRetention());
    RetryPolicyConfig retry = readRetry(root.child("default-retry-policy"));
    IngressConfig ingress = readIngress(root.child("ingress"), notes);
    AdminConfig admin = readAdmin(root.child("admin"));
    WorkerConfig worker = readWorker(root.child("worker"));
    BindAddress nodeBind = root.bindAddress("bind-address", NodeConfig.DEFAULT_BIND);
    boolean disablePrometheus = root.bool("disable-prometheus", false);
    readCluster(root, notes);
    root.ignore(
        "default-replication",
        "shutdown-timeout",
        "tracing-*",
        "log-*",
        "rocksdb-*",
        "metadata-update-interval",
        "metadata-fetch-from-peer-timeout",
        "initialization-timeout",
        "disable-telemetry",
        "gossip-*",
        "hlc-max-drift",
        "location",
        "force-node-id",
        "default-thread-pool-size",
        "storage-high-priority-bg-threads",
        "storage-low-priority-bg-threads",
        "max-retry-policy-max-attempts",
        "max-journal-retention",
        "listen-mode",
        "use-random-ports",
        "advertised-host",
        "bind-ip",
        "bind-port",
        "metadata-store-address",
        "request-identity-private-key-pem-file",
        "experimental-*",
        "tokio-console-bind-address",
        "network-error-retry-policy",
        "log-server",
        "common",
        "http-keep-alive-options",
        "aws-*");
    root.finish();
    ServerConfig c =
        root.build(
            () ->
                new ServerConfig(
                    baseDir,
                    nodeName,
                    clusterName,
                    (int) partitions,
                    journal,
                    idem,
                    wf,
                    retry,
                    ingress,
                    admin,
                    worker,
                    new NodeConfig(nodeBind, disablePrometheus)));
    return c;
  }

  /**
   * The cluster keys restate-server's own SDK test suite (and a multi-node setup) passes: a
   * Resolute node is one whole cluster, so each is accepted and warned about by name, never
   * refused.
   */
  private static void readCluster(Section root, List<String> notes) {
    root.acknowledge(
        "auto-provision",
        "a Resolute node always provisions its single-node cluster at first start",
        notes);
    root.acknowledge(
        "roles",
        "a Resolute node always runs every role (admin, worker, http-ingress, log-server,"
            + " metadata-server)",
        notes);
    root.acknowledge(
        "advertised-address", "a single Resolute node has no peers to advertise itself to", notes);
    Section bifrost = root.child("bifrost");
    bifrost.acknowledge(
        "default-provider",
        "Resolute writes every partition to its own local log on this node",
        notes);
    Section loglet = bifrost.child("replicated-loglet");
    loglet.acknowledge(
        "default-log-replication",
        "the local log keeps one copy on this node (replication 1)",
        notes);
    loglet.ignore("*");
    loglet.finish();
    bifrost.ignore("*");
    bifrost.finish();
    Section metadataServer = root.child("metadata-server");
    metadataServer.acknowledge(
        "type",
        "Resolute keeps its metadata (schema registry, partitioning) in local files",
        notes);
    metadataServer.ignore("*");
    metadataServer.finish();
    Section metadataClient = root.child("metadata-client");
    metadataClient.acknowledge(
        "addresses", "Resolute reads its metadata locally and contacts no metadata server", notes);
    metadataClient.ignore("*");
    metadataClient.finish();
    Section networking = root.child("networking");
    networking.acknowledge(
        "http2-keep-alive-interval",
        "node-to-node networking is not used by a single Resolute" + " node",
        notes);
    networking.acknowledge(
        "http2-keep-alive-timeout",
        "node-to-node networking is not used by a single Resolute" + " node",
        notes);
    networking.ignore("*");
    networking.finish();
  }

  private static RetryPolicyConfig readRetry(Section s) {
    RetryPolicyConfig d = RetryPolicyConfig.defaults();
    Duration initial = s.duration("initial-interval", d.initialInterval());
    double factor = s.decimal("exponentiation-factor", d.exponentiationFactor());
    Duration max = s.duration("max-interval", d.maxInterval());
    Integer attempts = s.integerOrUnlimited("max-attempts", d.maxAttempts());
    String on = s.string("on-max-attempts", "pause");
    RetryPolicy.OnMaxAttempts onMax =
        switch (on.strip().toLowerCase(Locale.ROOT)) {
          case "pause" -> RetryPolicy.OnMaxAttempts.PAUSE;
          case "kill" -> RetryPolicy.OnMaxAttempts.KILL;
          default ->
              throw new ConfigException(
                  "unknown variant \""
                      + on
                      + "\", expected \"pause\" or \"kill\""
                      + " for key \"default-retry-policy.on-max-attempts\"");
        };
    s.finish();
    return s.build(() -> new RetryPolicyConfig(initial, factor, max, attempts, onMax));
  }

  private static IngressConfig readIngress(Section s, List<String> notes) {
    BindAddress bind = s.bindAddress("bind-address", IngressConfig.DEFAULT_BIND);
    if (s.isNonEmptyList("kafka-clusters")) {
      s.acknowledge(
          "kafka-clusters",
          "Resolute does not read Kafka clusters from the configuration yet; create them with"
              + " POST /kafka-clusters (same properties) on the admin API",
          notes);
    }
    s.ignore(
        "kafka-clusters",
        "request-size-limit",
        "ingestion",
        "advertised-ingress-endpoint",
        "concurrent-api-requests-limit",
        "listen-mode",
        "experimental-*");
    s.finish();
    return s.build(() -> new IngressConfig(bind));
  }

  private static AdminConfig readAdmin(Section s) {
    BindAddress bind = s.bindAddress("bind-address", AdminConfig.DEFAULT_BIND);
    s.ignore(
        "heartbeat-interval",
        "disable-web-ui",
        "query-engine",
        "advertised-admin-endpoint",
        "concurrent-api-requests-limit",
        "deployment-routing-headers",
        "log-trim-check-interval",
        "log-trim-threshold",
        "disable-cluster-controller",
        "listen-mode",
        "default-partition-replication",
        "experimental-*");
    s.finish();
    return s.build(() -> new AdminConfig(bind));
  }

  private static WorkerConfig readWorker(Section s) {
    InvokerConfig invoker = readInvoker(s.child("invoker"));
    s.ignore(
        "internal-queue-length",
        "cleanup-interval",
        "max-command-batch-size",
        "max-command-batch-bytes",
        "trim-delay-interval",
        "data-service-memory-limit",
        "rule-book-poll-interval",
        "self-proposal-queue-memory-limit",
        "num-timers-in-memory-limit",
        "storage",
        "snapshots",
        "shuffle",
        "durability-mode",
        "experimental-*");
    s.finish();
    return s.build(() -> new WorkerConfig(invoker));
  }

  private static InvokerConfig readInvoker(Section s) {
    InvokerConfig d = InvokerConfig.defaults();
    Duration inactivity = s.duration("inactivity-timeout", d.inactivityTimeout());
    Duration abort = s.duration("abort-timeout", d.abortTimeout());
    long limit = s.integer("concurrent-invocations-limit", d.concurrentInvocationsLimit());
    if (limit < 1 || limit > Integer.MAX_VALUE) {
      throw new ConfigException(
          "must be in 1.."
              + Integer.MAX_VALUE
              + ", got "
              + limit
              + " for key \"worker.invoker.concurrent-invocations-limit\"");
    }
    Path pem = s.path("request-identity-private-key-pem-file", null);
    long sizeLimit = s.bytes("message-size-limit", d.messageSizeLimit());
    long sizeWarning = s.bytes("message-size-warning", d.messageSizeWarning());
    s.ignore(
        "in-memory-queue-length-limit",
        "eager-state-size-limit",
        "memory-limit",
        "per-invocation-*",
        "http2-*",
        "connect-timeout",
        "request-compression-threshold",
        "request-identity-expiration",
        "max-awaited-future-depth",
        "additional-request-headers",
        "retry-policy",
        "tmp-dir",
        "invocation-throttling",
        "action-throttling",
        "disable-eager-state",
        "experimental-*");
    s.finish();
    return s.build(
        () -> new InvokerConfig(inactivity, abort, (int) limit, pem, sizeLimit, sizeWarning));
  }
}
