package dev.resolute.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Every configuration key restate-server 1.7.12 accepts, and what Resolute does with it: {@link
 * Kind#APPLIED} (read by {@link ConfigLoader} and used where the note says), {@link Kind#WARNED}
 * (accepted; one warning naming the key when it is set to a value other than restate-server's
 * default — or, for {@link Entry#always()} entries, whenever it is set) or {@link Kind#REFUSED}
 * (the configuration does not load, with the reason). No key is dropped silently: a key that is in
 * neither the loader nor this table is refused as unknown.
 *
 * <p>A pattern is a dotted key; it also covers everything below it when the key is a table (so
 * {@code bifrost} covers {@code bifrost.local.rocksdb-memory-ratio}), and a last segment ending in
 * {@code *} matches every name with that prefix. The most specific pattern wins. restate-server's
 * defaults, against which WARNED values are compared, are its own {@code --dump-config} output
 * ({@code restate-1.7.12-defaults.toml} beside this class), plus {@link Entry#restateDefault()} for
 * keys it does not print.
 */
public final class KeyCatalog {
  private KeyCatalog() {}

  /** What Resolute does with a key. */
  public enum Kind {
    APPLIED,
    WARNED,
    REFUSED
  }

  /**
   * @param pattern dotted key (see the class comment)
   * @param note APPLIED: where it takes effect; WARNED/REFUSED: why, printed with the key
   * @param always WARNED: warn whenever the key is set, even to restate-server's default (the
   *     default itself describes something Resolute does differently)
   * @param restateDefault the default as a TOML value, for keys restate-server's dump does not
   *     print, or null
   */
  public record Entry(
      String pattern, Kind kind, String note, boolean always, String restateDefault) {}

  private static final String CLUSTER =
      "a Resolute node is a whole single-node cluster; multi-node settings do not apply";
  private static final String ROCKSDB =
      "Resolute tunes its own RocksDB store (one store per node, no WAL: the log is the truth)";
  private static final String NO_BIFROST =
      "Resolute writes every partition to its own local log on this node (no bifrost)";
  private static final String TRACING =
      "Resolute exports invocation traces only (tracing-endpoint); it has no runtime traces, no"
          + " span filter and no Jaeger file export";
  private static final String NO_SNAPSHOTS =
      "not a key of Resolute's snapshot repository (see worker.snapshots.destination)";
  private static final String QUEUES =
      "Resolute's queues and batches are sized internally and not configurable";

  static final List<Entry> ENTRIES = build();

  private static List<Entry> build() {
    List<Entry> e = new ArrayList<>();
    // ---- applied -------------------------------------------------------------------------
    applied(e, "base-dir", "data directory root: data lives in <base-dir>/<node-name>");
    applied(e, "node-name", "names the data directory and the node in logs and admin answers");
    applied(e, "cluster-name", "x-restate-cluster-name on requests to deployments; node marker");
    applied(e, "default-num-partitions", "partitions created at the first start (then pinned)");
    applied(e, "default-journal-retention", "journal retention of handlers that set none");
    applied(e, "default-idempotency-retention", "idempotency retention of handlers that set none");
    applied(
        e,
        "default-workflow-completion-retention",
        "workflow completion retention of workflows that set none");
    applied(e, "max-journal-retention", "caps every handler's journal retention at registration");
    applied(e, "default-retry-policy.initial-interval", "retry policy of handlers that set none");
    applied(e, "default-retry-policy.exponentiation-factor", "default retry policy");
    applied(e, "default-retry-policy.max-attempts", "default retry policy");
    applied(e, "default-retry-policy.max-interval", "default retry policy");
    applied(e, "default-retry-policy.on-max-attempts", "default retry policy");
    applied(
        e,
        "request-identity-private-key-pem-file",
        "deprecated alias of worker.invoker.request-identity-private-key-pem-file (signs requests)");
    applied(
        e,
        "additional-request-headers",
        "headers added to every request to deployments (discovery and invocations)");
    applied(e, "connect-timeout", "TCP connect timeout towards deployments");
    applied(e, "log-filter", "logging levels (RUST_LOG syntax; the target restate = dev.resolute)");
    applied(e, "log-format", "pretty/compact: one text line per event; json: one JSON object");
    applied(e, "tracing-endpoint", "OTLP endpoint (gRPC or HTTP by scheme) of invocation traces");
    applied(
        e,
        "tracing-services-endpoint",
        "overrides tracing-endpoint for invocation traces (the only traces Resolute exports)");
    applied(e, "tracing-headers", "headers on every OTLP export request");
    applied(e, "ingress.bind-address", "address of the ingress HTTP port");
    applied(
        e,
        "ingress.kafka-clusters",
        "Kafka clusters declared statically (listed by the admin API, usable by subscriptions)");
    applied(e, "ingress.request-size-limit", "largest request body the ingress accepts (413)");
    applied(e, "admin.bind-address", "address of the admin HTTP port");
    applied(e, "admin.disable-web-ui", "true: no web UI at /ui/ (/, /ui and /ui/… answer 404)");
    applied(e, "worker.invoker.inactivity-timeout", "suspension after inactivity (per handler)");
    applied(e, "worker.invoker.abort-timeout", "abort after the inactivity timeout (per handler)");
    applied(
        e,
        "worker.invoker.request-identity-private-key-pem-file",
        "Ed25519 key that signs discovery and invocation requests");
    applied(e, "worker.invoker.request-identity-expiration", "lifetime of each request's JWT");
    applied(
        e,
        "worker.invoker.additional-request-headers",
        "headers added to every request to deployments (over the top-level ones)");
    applied(e, "worker.invoker.connect-timeout", "TCP connect timeout towards deployments");
    applied(e, "resolute.log-segment-bytes", "size of a log segment file (trimming unit)");
    applied(e, "resolute.log-trim-interval", "how often whole applied log segments are deleted");
    applied(
        e,
        "resolute.store-flush-records",
        "the store is checkpointed after this many records (bounds the replay after a crash)");
    applied(e, "resolute.store-flush-interval", "... or after this long with any record since");
    applied(e, "cluster.bootstrap-servers", "cluster mode: the Kafka cluster holding the log");
    applied(e, "cluster.node-id", "cluster mode: this node's id (leader records, waiter ids)");
    applied(e, "cluster.topic", "cluster mode: the log topic (one partition per partition)");
    applied(e, "cluster.replication-factor", "cluster mode: replicas of a created log topic");
    applied(e, "cluster.min-insync-replicas", "cluster mode: replicas an append waits for");
    applied(
        e,
        "cluster.warm-followers",
        "cluster mode: every node applies every partition (false: cold)");
    applied(e, "cluster.session-timeout", "cluster mode: a silent node loses its partitions");
    applied(e, "cluster.append-timeout", "cluster mode: the log producer's delivery timeout");
    applied(
        e,
        "worker.snapshots.destination",
        "cluster mode: the snapshot repository, file:///path or s3://bucket/prefix (refused"
            + " without cluster mode)");
    applied(
        e,
        "worker.snapshots.snapshot-interval-num-records",
        "a snapshot once a partition applied this many records since the last");
    applied(
        e,
        "worker.snapshots.snapshot-interval",
        "... or this long after the last (both set: both conditions)");
    applied(
        e,
        "worker.snapshots.num-retained",
        "snapshots kept in the repository; the log topic is trimmed below the oldest kept");
    applied(e, "worker.snapshots.aws-profile", "S3 repository: AWS profile of the credentials");
    applied(e, "worker.snapshots.aws-region", "S3 repository: region requests are signed for");
    applied(e, "worker.snapshots.aws-access-key-id", "S3 repository: static credentials");
    applied(e, "worker.snapshots.aws-secret-access-key", "S3 repository: static credentials");
    applied(e, "worker.snapshots.aws-session-token", "S3 repository: STS session credentials");
    applied(e, "worker.snapshots.aws-endpoint-url", "S3 repository: S3-compatible endpoint");
    applied(e, "worker.snapshots.aws-allow-http", "S3 repository: allow an http:// endpoint");
    applied(e, "cluster.fencing", "cluster mode: epoch, or transactional producers per partition");
    applied(e, "bind-address", "address of the node port (/metrics, /health)");
    applied(e, "disable-prometheus", "turns the node port's /metrics off (404)");
    applied(
        e,
        "worker.invoker.concurrent-invocations-limit",
        "at most this many attempts run against deployments at once on this node; later ones wait");
    applied(
        e, "worker.invoker.message-size-warning", "a larger message from a deployment is logged");
    applied(e, "worker.invoker.message-size-limit", "a larger message fails the attempt (RT0003)");
    // ---- warned whenever set: the default itself is a multi-node setting --------------------
    always(
        e,
        "roles",
        "a Resolute node always runs every role (admin, worker, http-ingress,"
            + " log-server, metadata-server)");
    always(e, "auto-provision", "a Resolute node always provisions its single-node cluster");
    always(e, "advertised-address", "a single Resolute node has no peers to advertise itself to");
    always(e, "bifrost.default-provider", NO_BIFROST);
    always(
        e,
        "bifrost.replicated-loglet.default-log-replication",
        "the local log keeps one copy on this node (replication 1)");
    always(e, "metadata-server.type", "Resolute keeps its metadata in local files");
    always(e, "metadata-client.addresses", "Resolute reads its metadata locally");
    always(
        e,
        "networking.http2-keep-alive-interval",
        "node-to-node networking is not used by a single Resolute node");
    always(
        e,
        "networking.http2-keep-alive-timeout",
        "node-to-node networking is not used by a single Resolute node");
    // ---- warned when set to something else than restate-server's default --------------------
    warned(e, "default-replication", CLUSTER);
    warned(e, "shutdown-timeout", "Resolute stops its components in order without a drain timeout");
    warned(e, "tracing-*", TRACING);
    warned(e, "log-disable-ansi-codes", "Resolute's log lines never carry ANSI codes");
    warned(e, "rocksdb-*", ROCKSDB);
    warned(e, "storage-*", ROCKSDB);
    warned(e, "metadata-update-interval", CLUSTER);
    warned(e, "metadata-fetch-from-peer-timeout", CLUSTER);
    warned(e, "initialization-timeout", "Resolute's start-up has no timeout");
    warned(e, "disable-telemetry", "Resolute sends no telemetry");
    warned(e, "gossip-*", CLUSTER);
    warned(e, "hlc-max-drift", CLUSTER);
    warned(e, "advertised-host", CLUSTER);
    warned(e, "bind-ip", "Resolute binds where ingress.bind-address / admin.bind-address say");
    warned(e, "bind-port", "node-to-node port: a single Resolute node has no fabric port");
    warned(
        e,
        "use-random-ports",
        "Resolute binds where ingress/admin.bind-address say (port 0:" + " any free port)");
    warned(e, "listen-mode", "Resolute listens on TCP sockets only");
    warned(e, "location", CLUSTER);
    warned(e, "force-node-id", CLUSTER);
    warned(e, "metadata-store-address", CLUSTER);
    warned(e, "default-thread-pool-size", "Resolute sizes its thread pools from the core count");
    warned(e, "max-retry-policy-max-attempts", "retry policies are not capped by Resolute");
    warned(e, "tokio-console-bind-address", "Resolute is not a tokio program");
    warned(e, "network-error-retry-policy", CLUSTER);
    warned(e, "http-keep-alive-options", "Resolute sends no HTTP/2 PING keep-alives");
    warned(e, "aws-*", "Resolute has no AWS Lambda deployments");
    warned(
        e, "http-proxy", "Resolute connects to deployments directly (no proxy support yet)", null);
    warned(e, "no-proxy", "Resolute connects to deployments directly (no proxy support yet)", "[]");
    warned(e, "initial-max-send-streams", QUEUES);
    warned(e, "request-compression-threshold", "Resolute does not compress requests");
    warned(e, "experimental-*", "experimental restate-server features are not in Resolute");
    warned(e, "common", CLUSTER);
    warned(e, "metadata-client", CLUSTER);
    warned(e, "metadata-server", CLUSTER);
    warned(e, "bifrost", NO_BIFROST);
    warned(e, "networking", CLUSTER);
    warned(e, "log-server", NO_BIFROST);
    // worker
    warned(e, "worker.internal-queue-length", QUEUES);
    warned(
        e,
        "worker.cleanup-interval",
        "Resolute deletes each completed invocation by a timer when its retention ends (no"
            + " periodic scan)");
    warned(e, "worker.max-command-batch-size", QUEUES);
    warned(e, "worker.max-command-batch-bytes", QUEUES);
    warned(e, "worker.trim-delay-interval", "log trimming: see resolute.log-trim-interval");
    warned(e, "worker.data-service-memory-limit", QUEUES);
    warned(e, "worker.rule-book-poll-interval", CLUSTER);
    warned(e, "worker.self-proposal-queue-memory-limit", QUEUES);
    warned(
        e,
        "worker.num-timers-in-memory-limit",
        "Resolute keeps every pending timer of a partition in memory");
    warned(e, "worker.storage", ROCKSDB);
    warned(e, "worker.snapshots", NO_SNAPSHOTS);
    warned(
        e,
        "worker.snapshots.export-concurrency-limit",
        "Resolute takes one snapshot of the whole node store at a time");
    warned(
        e,
        "worker.snapshots.object-store-retry-policy",
        "the S3 repository retries with the AWS SDK's standard retry strategy; a failed snapshot"
            + " is taken again at the next interval");
    warned(e, "worker.shuffle", QUEUES);
    warned(e, "worker.durability-mode", "Resolute fsyncs its log before acknowledging");
    warned(e, "worker.experimental-*", "experimental restate-server features are not in Resolute");
    // worker.invoker
    warned(e, "worker.invoker.in-memory-queue-length-limit", QUEUES);
    warned(e, "worker.invoker.eager-state-size-limit", "Resolute sends up to 32 MiB of state");
    warned(e, "worker.invoker.memory-limit", QUEUES);
    warned(e, "worker.invoker.per-invocation-*", QUEUES);
    warned(e, "worker.invoker.http2-*", "Resolute's HTTP/2 client uses fixed settings");
    warned(
        e, "worker.invoker.request-compression-threshold", "Resolute does not compress requests");
    warned(e, "worker.invoker.max-awaited-future-depth", QUEUES);
    warned(e, "worker.invoker.retry-policy", "invoker retries follow the handler's retry policy");
    warned(e, "worker.invoker.tmp-dir", "Resolute's invoker spills nothing to disk");
    warned(e, "worker.invoker.invocation-throttling", "Resolute does not throttle invocations");
    warned(e, "worker.invoker.action-throttling", "Resolute does not throttle invocations");
    warned(
        e,
        "worker.invoker.disable-eager-state",
        "Resolute always sends state eagerly" + " (unless a handler asks for lazy state)");
    warned(e, "worker.invoker.experimental-*", "experimental features are not in Resolute");
    // admin
    warned(e, "admin.heartbeat-interval", CLUSTER);
    warned(e, "admin.query-engine", "the SQL query engine's memory is not configurable");
    warned(e, "admin.advertised-admin-endpoint", CLUSTER);
    warned(e, "admin.concurrent-api-requests-limit", "Resolute does not cap admin requests");
    warned(e, "admin.deployment-routing-headers", "not implemented in Resolute");
    warned(e, "admin.log-trim-check-interval", "log trimming: see resolute.log-trim-interval");
    warned(e, "admin.log-trim-threshold", "log trimming: see resolute.log-trim-interval");
    warned(e, "admin.disable-cluster-controller", CLUSTER);
    warned(e, "admin.listen-mode", "Resolute listens on TCP sockets only");
    warned(e, "admin.default-partition-replication", CLUSTER);
    warned(e, "admin.experimental-*", "experimental features are not in Resolute");
    // ingress
    warned(e, "ingress.ingestion", QUEUES);
    warned(e, "ingress.advertised-ingress-endpoint", CLUSTER);
    warned(e, "ingress.concurrent-api-requests-limit", "Resolute does not cap ingress requests");
    warned(e, "ingress.listen-mode", "Resolute listens on TCP sockets only");
    warned(e, "ingress.experimental-*", "experimental features are not in Resolute");
    always(
        e,
        "production",
        "(--production) Resolute has no production profile; its defaults stay those of"
            + " development mode");
    // ---- refused ------------------------------------------------------------------------------
    e.add(
        new Entry(
            "metadata-migration-mode",
            Kind.REFUSED,
            "Resolute has no metadata migration mode (its metadata is local; there is no"
                + " restatectl)",
            false,
            null));
    return List.copyOf(e);
  }

  private static void applied(List<Entry> e, String key, String where) {
    e.add(new Entry(key, Kind.APPLIED, where, false, null));
  }

  private static void always(List<Entry> e, String key, String why) {
    e.add(new Entry(key, Kind.WARNED, why, true, null));
  }

  private static void warned(List<Entry> e, String key, String why) {
    e.add(new Entry(key, Kind.WARNED, why, false, null));
  }

  private static void warned(List<Entry> e, String key, String why, String restateDefault) {
    e.add(new Entry(key, Kind.WARNED, why, false, restateDefault));
  }

  /** The entry that classifies {@code dottedKey} ({@code _} and {@code -} alike), or null. */
  public static Entry lookup(String dottedKey) {
    String[] key = normalize(dottedKey).split("\\.");
    Entry best = null;
    int bestScore = -1;
    for (Entry en : ENTRIES) {
      int score = score(en.pattern().split("\\."), key);
      if (score > bestScore) {
        best = en;
        bestScore = score;
      }
    }
    return best;
  }

  /** All entries, in table order. */
  public static List<Entry> entries() {
    return ENTRIES;
  }

  /**
   * {@code _} read as {@code -}; case is kept: restate-server's keys are case-sensitive, so {@code
   * [worker.Invoker]} is an unknown table, not {@code [worker.invoker]}.
   */
  static String normalize(String dottedKey) {
    return dottedKey.replace('_', '-');
  }

  /** -1 when {@code pattern} does not cover {@code key}; more specific patterns score higher. */
  private static int score(String[] pattern, String[] key) {
    if (pattern.length > key.length) {
      return -1;
    }
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.endsWith("*")) {
        if (!key[i].startsWith(p.substring(0, p.length() - 1))) {
          return -1;
        }
      } else if (!p.equals(key[i])) {
        return -1;
      }
    }
    boolean exactLast = !pattern[pattern.length - 1].endsWith("*");
    return pattern.length * 2 + (exactLast ? 1 : 0);
  }
}
