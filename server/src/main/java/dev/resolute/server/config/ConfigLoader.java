package dev.resolute.server.config;

import dev.resolute.server.schema.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link ServerConfig} from defaults, an optional TOML file, {@code RESTATE_…} environment
 * variables and command-line overrides, in that order of precedence (last wins). Malformed values
 * throw {@link ConfigException} naming the key and its source. Every key restate-server accepts is
 * classified by the {@link KeyCatalog}: the keys read here are applied; the others are accepted
 * with a warning naming them (when set to something other than restate-server's default) or
 * refused; keys in neither are refused as unknown. So a restate-server configuration file, even its
 * full {@code --dump-config}, loads, and nothing in it is dropped silently.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  private static final String CLUSTER_HEADER = "x-restate-cluster-name";

  /**
   * @param configFile TOML file or null
   * @param env the process environment (only {@code RESTATE_*} entries, the older {@code
   *     RESOLUTE_*} aliases and {@code RUST_LOG} are read)
   * @param cli dotted key → value from command-line options, e.g. {@code "base-dir" → "/data"}
   */
  public static ServerConfig load(
      Path configFile, Map<String, String> env, Map<String, String> cli) {
    return load(configFile, env, cli, new ArrayList<>());
  }

  /**
   * As {@link #load(Path, Map, Map)}; {@code notes} receives one line per set restate-server key
   * that Resolute accepts but does not apply (each is also logged as a warning).
   */
  public static ServerConfig load(
      Path configFile, Map<String, String> env, Map<String, ?> cli, List<String> notes) {
    return load(configFile, env, cli, notes, new HashSet<>(), true);
  }

  /**
   * As {@link #load(Path, Map, Map, List)} but logs nothing: the caller logs {@code notes} itself
   * (the server does, once the configured log format is in place).
   */
  public static ServerConfig loadQuietly(
      Path configFile, Map<String, String> env, Map<String, ?> cli, List<String> notes) {
    return load(configFile, env, cli, notes, new HashSet<>(), false);
  }

  /** As above; {@code read} receives every key the loader asks for (for the catalog tests). */
  static ServerConfig load(
      Path configFile,
      Map<String, String> env,
      Map<String, ?> cli,
      List<String> notes,
      Set<String> read,
      boolean log) {
    ConfigTree tree = new ConfigTree();
    if (configFile != null) {
      tree.mergeTomlFile(configFile);
    }
    tree.mergeEnv(env);
    cli.forEach((k, v) -> tree.putCli(k, v, "--" + k));
    return read(new Section("", tree.root, new Section.Context(notes, read, log)));
  }

  private static ServerConfig read(Section root) {
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
    Duration maxJournal = root.duration("max-journal-retention", null);
    RetryPolicyConfig retry = readRetry(root.child("default-retry-policy"));
    IngressConfig ingress = readIngress(root.child("ingress"));
    AdminConfig admin = readAdmin(root.child("admin"));
    Path topLevelPem = root.path("request-identity-private-key-pem-file", null);
    if (topLevelPem != null) {
      root.note(
          "configuration key \"request-identity-private-key-pem-file\" is deprecated: use"
              + " \"worker.invoker.request-identity-private-key-pem-file\" (applied all the same)");
    }
    Map<String, String> topHeaders = root.stringTable("additional-request-headers");
    Duration topConnect = root.duration("connect-timeout", InvokerConfig.DEFAULT_CONNECT_TIMEOUT);
    WorkerConfig worker =
        readWorker(root.child("worker"), topLevelPem, topHeaders, topConnect, clusterName);
    BindAddress nodeBind = root.bindAddress("bind-address", NodeConfig.DEFAULT_BIND);
    boolean disablePrometheus = root.bool("disable-prometheus", false);
    LoggingConfig logging = readLogging(root);
    TracingConfig tracing = readTracing(root);
    ResoluteConfig resolute = readResolute(root.child("resolute"));
    ClusterConfig cluster = readCluster(root.child("cluster"), clusterName);
    if (worker.snapshots().enabled() && !cluster.enabled()) {
      throw new ConfigException(
          "key \"worker.snapshots.destination\" needs cluster mode (cluster.bootstrap-servers):"
              + " a single node recovers from its local log, and a snapshot restored under a new"
              + " local log would not match its positions");
    }
    root.finish();
    return root.build(
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
                maxJournal,
                logging,
                resolute,
                new NodeConfig(nodeBind, disablePrometheus),
                tracing,
                cluster));
  }

  private static LoggingConfig readLogging(Section root) {
    LoggingConfig d = LoggingConfig.defaults();
    String filter = root.string("log-filter", d.filter());
    try {
      LogFilter.parse(filter);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage() + " for key \"log-filter\"");
    }
    String format = root.string("log-format", d.format().key());
    LoggingConfig.Format f;
    try {
      f = LoggingConfig.Format.parse(format);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage() + " for key \"log-format\"");
    }
    return new LoggingConfig(filter, f);
  }

  private static TracingConfig readTracing(Section root) {
    String endpoint = root.string("tracing-endpoint", null);
    String services = root.string("tracing-services-endpoint", null);
    Map<String, String> headers = root.stringTable("tracing-headers");
    // restate-server: tracing-services-endpoint overrides tracing-endpoint for invocation traces
    String key = services != null ? "tracing-services-endpoint" : "tracing-endpoint";
    String effective = services != null ? services : endpoint;
    if (effective != null && effective.isBlank()) {
      effective = null;
    }
    if (effective != null) {
      try {
        TracingConfig.target(effective);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage() + " for key \"" + key + "\"");
      }
    }
    return new TracingConfig(effective, headers);
  }

  private static ResoluteConfig readResolute(Section s) {
    ResoluteConfig d = ResoluteConfig.defaults();
    long segment = s.byteSize("log-segment-bytes", d.logSegmentBytes());
    Duration trim = s.duration("log-trim-interval", d.logTrimInterval());
    long flushRecords = s.integer("store-flush-records", d.storeFlushRecords());
    Duration flushInterval = s.duration("store-flush-interval", d.storeFlushInterval());
    s.finish();
    return s.build(() -> new ResoluteConfig(segment, trim, flushRecords, flushInterval));
  }

  private static ClusterConfig readCluster(Section s, String clusterName) {
    ClusterConfig d = ClusterConfig.disabled();
    // empty (what --dump-config prints for a single node) = cluster mode off
    String serversSet = s.string("bootstrap-servers", "");
    String servers = serversSet.isBlank() ? null : serversSet.strip();
    long nodeId = s.integer("node-id", 0);
    String topicSet = s.string("topic", "");
    String topic =
        servers == null
            ? null
            : topicSet.isEmpty() ? ClusterConfig.defaultTopic(clusterName) : topicSet;
    long replication = s.integer("replication-factor", d.replicationFactor());
    long minInsync = s.integer("min-insync-replicas", d.minInsyncReplicas());
    boolean warm = s.bool("warm-followers", d.warmFollowers());
    Duration session = s.duration("session-timeout", d.sessionTimeout());
    Duration appendTimeout = s.duration("append-timeout", d.appendTimeout());
    String fencingSet = s.string("fencing", d.fencing().key());
    ClusterConfig.Fencing fencing = ClusterConfig.Fencing.of(fencingSet);
    if (fencing == null) {
      throw new ConfigException(
          "unknown variant \""
              + fencingSet
              + "\", expected `epoch` or `transactional` for key \"cluster.fencing\"");
    }
    if (nodeId < 0 || nodeId > 65535) {
      throw new ConfigException(
          "must be in 1..65535, got " + nodeId + " for key \"cluster.node-id\"");
    }
    if (replication < 1 || replication > Short.MAX_VALUE) {
      throw new ConfigException(
          "must be in 1.."
              + Short.MAX_VALUE
              + ", got "
              + replication
              + " for key \"cluster.replication-factor\"");
    }
    if (minInsync < 1 || minInsync > Short.MAX_VALUE) {
      throw new ConfigException(
          "must be in 1.."
              + Short.MAX_VALUE
              + ", got "
              + minInsync
              + " for key \"cluster.min-insync-replicas\"");
    }
    s.finish();
    return s.build(
        () ->
            new ClusterConfig(
                (int) nodeId,
                servers,
                topic,
                (short) replication,
                (int) minInsync,
                warm,
                session,
                appendTimeout,
                fencing));
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

  private static IngressConfig readIngress(Section s) {
    BindAddress bind = s.bindAddress("bind-address", IngressConfig.DEFAULT_BIND);
    long size = s.byteSize("request-size-limit", IngressConfig.DEFAULT_REQUEST_SIZE_LIMIT);
    List<KafkaClusterConfig> kafka = readKafkaClusters(s);
    s.finish();
    return s.build(() -> new IngressConfig(bind, size, kafka));
  }

  /**
   * {@code [[ingress.kafka-clusters]]}: {@code name}, {@code brokers} (an array of strings) and any
   * other key as a client property whose value is a string (as restate-server reads them).
   */
  private static List<KafkaClusterConfig> readKafkaClusters(Section s) {
    List<KafkaClusterConfig> out = new ArrayList<>();
    for (Map<String, Object> entry : s.tableArray("kafka-clusters")) {
      Map<String, Object> rest = new LinkedHashMap<>(entry);
      Object name = rest.remove("name");
      Object brokers = rest.remove("brokers");
      if (!(name instanceof String n)) {
        throw new ConfigException(
            "missing field `name` (a string) in an entry of key \"ingress.kafka-clusters\"");
      }
      if (!(brokers instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
        throw new ConfigException(
            "missing field `brokers` (an array of strings) in cluster '"
                + n
                + "' of key \"ingress.kafka-clusters\"");
      }
      Map<String, String> options = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : rest.entrySet()) {
        if (!(e.getValue() instanceof String v)) {
          throw new ConfigException(
              "expected a string for property \""
                  + e.getKey()
                  + "\" of Kafka cluster '"
                  + n
                  + "' in key \"ingress.kafka-clusters\"");
        }
        options.put(e.getKey(), v);
      }
      out.add(
          s.build(
              () ->
                  new KafkaClusterConfig(
                      n, list.stream().map(String.class::cast).toList(), options)));
    }
    return out;
  }

  private static AdminConfig readAdmin(Section s) {
    BindAddress bind = s.bindAddress("bind-address", AdminConfig.DEFAULT_BIND);
    boolean disableWebUi = s.bool("disable-web-ui", false);
    s.finish();
    return s.build(() -> new AdminConfig(bind, disableWebUi));
  }

  private static WorkerConfig readWorker(
      Section s,
      Path topLevelPem,
      Map<String, String> topHeaders,
      Duration topConnect,
      String clusterName) {
    InvokerConfig invoker =
        readInvoker(s.child("invoker"), topLevelPem, topHeaders, topConnect, clusterName);
    SnapshotsConfig snapshots = readSnapshots(s.child("snapshots"));
    s.finish();
    return s.build(() -> new WorkerConfig(invoker, snapshots));
  }

  private static final String[] SNAPSHOT_KEYS = {
    "snapshot-interval-num-records",
    "snapshot-interval",
    "num-retained",
    "aws-profile",
    "aws-region",
    "aws-access-key-id",
    "aws-secret-access-key",
    "aws-session-token",
    "aws-endpoint-url",
    "aws-allow-http"
  };

  /** {@code [worker.snapshots]}: restate-server's keys (see {@link SnapshotsConfig}). */
  private static SnapshotsConfig readSnapshots(Section s) {
    String destSet = s.string("destination", "");
    String destination = destSet.isBlank() ? null : destSet.strip();
    long records = s.integer("snapshot-interval-num-records", 0);
    if (s.isSet("snapshot-interval-num-records") && records < 1) {
      throw new ConfigException(
          "invalid value "
              + records
              + ", expected a nonzero u64 for key \"worker.snapshots.snapshot-interval-num-records\"");
    }
    Duration interval = s.duration("snapshot-interval", null);
    long retained = s.integer("num-retained", SnapshotsConfig.DEFAULT_NUM_RETAINED);
    if (retained < 1 || retained > 255) {
      throw new ConfigException(
          "invalid value "
              + retained
              + ", expected a nonzero u8 for key \"worker.snapshots.num-retained\"");
    }
    String profile = s.string("aws-profile", null);
    String region = s.string("aws-region", null);
    String keyId = s.string("aws-access-key-id", null);
    String secret = s.string("aws-secret-access-key", null);
    String token = s.string("aws-session-token", null);
    String endpoint = s.string("aws-endpoint-url", null);
    boolean allowHttp = s.bool("aws-allow-http", false);
    if (destination == null) {
      for (String k : SNAPSHOT_KEYS) {
        if (s.isSet(k) && !(k.equals("num-retained") && retained == 1)) {
          s.note(
              "configuration key \"worker.snapshots."
                  + k
                  + "\" has no effect: worker.snapshots.destination is not set");
        }
      }
    }
    s.finish();
    return s.build(
        () ->
            new SnapshotsConfig(
                destination,
                s.isSet("snapshot-interval-num-records") ? records : null,
                interval,
                (int) retained,
                profile,
                region,
                keyId,
                secret,
                token,
                endpoint,
                allowHttp));
  }

  private static InvokerConfig readInvoker(
      Section s,
      Path topLevelPem,
      Map<String, String> topHeaders,
      Duration topConnect,
      String clusterName) {
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
    Path pem = s.path("request-identity-private-key-pem-file", topLevelPem);
    Duration expiration = s.duration("request-identity-expiration", d.requestIdentityExpiration());
    Duration connect = s.duration("connect-timeout", topConnect);
    Map<String, String> headers = new LinkedHashMap<>(topHeaders);
    headers.putAll(s.stringTable("additional-request-headers"));
    // restate-server's default additional header; Resolute sends it from cluster-name anyway
    headers.remove(CLUSTER_HEADER, clusterName);
    long sizeWarning = s.byteSize("message-size-warning", d.messageSizeWarning());
    long sizeLimit = s.byteSize("message-size-limit", d.messageSizeLimit());
    s.finish();
    return s.build(
        () ->
            new InvokerConfig(
                inactivity,
                abort,
                (int) limit,
                pem,
                expiration,
                connect,
                headers,
                sizeWarning,
                sizeLimit));
  }
}
