package dev.resolute.server.config;

/**
 * Prints a {@link ServerConfig} as TOML, in restate-server's {@code --dump-config} layout: every
 * key Resolute applies ({@link KeyCatalog.Kind#APPLIED}), and Resolute's own {@code [resolute]}
 * section. Loading the output again gives the same configuration.
 */
final class TomlDump {
  private TomlDump() {}

  static String dump(ServerConfig c) {
    StringBuilder b = new StringBuilder();
    kv(b, "node-name", str(c.nodeName()));
    kv(b, "cluster-name", str(c.clusterName()));
    kv(b, "base-dir", str(c.baseDir().toString()));
    kv(b, "default-num-partitions", Integer.toString(c.defaultNumPartitions()));
    kv(b, "bind-address", str(c.node().bindAddress().toString()));
    kv(b, "disable-prometheus", Boolean.toString(c.node().disablePrometheus()));
    kv(b, "default-journal-retention", str(Durations.format(c.defaultJournalRetention())));
    kv(b, "default-idempotency-retention", str(Durations.format(c.defaultIdempotencyRetention())));
    kv(
        b,
        "default-workflow-completion-retention",
        str(Durations.format(c.defaultWorkflowCompletionRetention())));
    if (c.maxJournalRetention() != null) {
      kv(b, "max-journal-retention", str(Durations.format(c.maxJournalRetention())));
    }
    kv(b, "log-filter", str(c.logging().filter()));
    kv(b, "log-format", str(c.logging().format().key()));
    if (c.tracing().endpoint() != null) {
      kv(b, "tracing-endpoint", str(c.tracing().endpoint()));
    }
    RetryPolicyConfig r = c.defaultRetryPolicy();
    b.append("\n[default-retry-policy]\n");
    kv(b, "initial-interval", str(Durations.format(r.initialInterval())));
    kv(b, "exponentiation-factor", Double.toString(r.exponentiationFactor()));
    kv(b, "max-attempts", r.maxAttempts() == null ? str("unlimited") : r.maxAttempts().toString());
    kv(b, "on-max-attempts", str(r.onMaxAttempts().name().toLowerCase(java.util.Locale.ROOT)));
    kv(b, "max-interval", str(Durations.format(r.maxInterval())));
    InvokerConfig i = c.worker().invoker();
    b.append("\n[worker.invoker]\n");
    kv(b, "inactivity-timeout", str(Durations.format(i.inactivityTimeout())));
    kv(b, "abort-timeout", str(Durations.format(i.abortTimeout())));
    kv(b, "message-size-warning", str(ByteSizes.format(i.messageSizeWarning())));
    kv(b, "message-size-limit", str(ByteSizes.format(i.messageSizeLimit())));
    kv(b, "concurrent-invocations-limit", Integer.toString(i.concurrentInvocationsLimit()));
    if (i.requestIdentityPrivateKeyPemFile() != null) {
      kv(
          b,
          "request-identity-private-key-pem-file",
          str(i.requestIdentityPrivateKeyPemFile().toString()));
    }
    kv(b, "request-identity-expiration", str(Durations.format(i.requestIdentityExpiration())));
    kv(b, "connect-timeout", str(Durations.format(i.connectTimeout())));
    if (!i.additionalRequestHeaders().isEmpty()) {
      b.append("\n[worker.invoker.additional-request-headers]\n");
      new java.util.TreeMap<>(i.additionalRequestHeaders())
          .forEach((k, v) -> kv(b, key(k), str(v)));
    }
    SnapshotsConfig sn = c.worker().snapshots();
    b.append("\n[worker.snapshots]\n");
    if (sn.destination() != null) {
      kv(b, "destination", str(sn.destination()));
    }
    if (sn.intervalNumRecords() != null) {
      kv(b, "snapshot-interval-num-records", Long.toString(sn.intervalNumRecords()));
    }
    if (sn.interval() != null) {
      kv(b, "snapshot-interval", str(Durations.format(sn.interval())));
    }
    kv(b, "num-retained", Integer.toString(sn.numRetained()));
    String[][] aws = {
      {"aws-profile", sn.awsProfile()},
      {"aws-region", sn.awsRegion()},
      {"aws-access-key-id", sn.awsAccessKeyId()},
      {"aws-secret-access-key", sn.awsSecretAccessKey()},
      {"aws-session-token", sn.awsSessionToken()},
      {"aws-endpoint-url", sn.awsEndpointUrl()}
    };
    for (String[] kvp : aws) {
      if (kvp[1] != null) {
        kv(b, kvp[0], str(kvp[1]));
      }
    }
    if (sn.awsAllowHttp()) {
      kv(b, "aws-allow-http", "true");
    }
    b.append("\n[admin]\n");
    kv(b, "bind-address", str(c.admin().bindAddress().toString()));
    kv(b, "disable-web-ui", String.valueOf(c.admin().disableWebUi()));
    b.append("\n[ingress]\n");
    kv(b, "bind-address", str(c.ingress().bindAddress().toString()));
    kv(b, "request-size-limit", str(ByteSizes.format(c.ingress().requestSizeLimit())));
    if (c.ingress().kafkaClusters().isEmpty()) {
      kv(b, "kafka-clusters", "[]");
    }
    for (KafkaClusterConfig k : c.ingress().kafkaClusters()) {
      b.append("\n[[ingress.kafka-clusters]]\n");
      kv(b, "name", str(k.name()));
      b.append("brokers = [")
          .append(String.join(", ", k.brokers().stream().map(TomlDump::str).toList()))
          .append("]\n");
      new java.util.TreeMap<>(k.options()).forEach((n, v) -> kv(b, key(n), str(v)));
    }
    ResoluteConfig r2 = c.resolute();
    b.append("\n# Resolute's own settings (restate-server has no such section)\n[resolute]\n");
    kv(b, "log-segment-bytes", str(ByteSizes.format(r2.logSegmentBytes())));
    kv(b, "log-trim-interval", str(Durations.format(r2.logTrimInterval())));
    kv(b, "store-flush-records", Long.toString(r2.storeFlushRecords()));
    kv(b, "store-flush-interval", str(Durations.format(r2.storeFlushInterval())));
    ClusterConfig cl = c.cluster();
    b.append("\n# cluster mode on Kafka, off while bootstrap-servers is empty (Resolute's own)\n");
    b.append("[cluster]\n");
    kv(b, "node-id", Integer.toString(cl.nodeId()));
    kv(b, "bootstrap-servers", str(cl.enabled() ? cl.bootstrapServers() : ""));
    kv(b, "topic", str(cl.enabled() ? cl.topic() : ""));
    kv(b, "replication-factor", Integer.toString(cl.replicationFactor()));
    kv(b, "min-insync-replicas", Integer.toString(cl.minInsyncReplicas()));
    kv(b, "warm-followers", Boolean.toString(cl.warmFollowers()));
    kv(b, "session-timeout", str(Durations.format(cl.sessionTimeout())));
    kv(b, "append-timeout", str(Durations.format(cl.appendTimeout())));
    kv(b, "fencing", str(cl.fencing().key()));
    if (!c.tracing().headers().isEmpty()) {
      b.append("\n[tracing-headers]\n");
      new java.util.TreeMap<>(c.tracing().headers()).forEach((k, v) -> kv(b, key(k), str(v)));
    }
    return b.toString();
  }

  private static void kv(StringBuilder b, String k, String v) {
    b.append(k).append(" = ").append(v).append('\n');
  }

  /** A bare TOML key when it can be one, else a quoted one. */
  private static String key(String k) {
    return k.matches("[A-Za-z0-9_-]+") ? k : str(k);
  }

  private static String str(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20) {
            b.append(String.format("\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
