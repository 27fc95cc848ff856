package dev.resolute.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.server.schema.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path tmp;

  private Path file(String toml) throws IOException {
    Path f = tmp.resolve("server.toml");
    Files.writeString(f, toml);
    return f;
  }

  @Test
  void aKeyGivenAsBothUnderscoreAndHyphenIsRefusedByName() throws Exception {
    // a finding of the configuration fuzzer: it stopped the loader with an internal error
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file(
                        "max-journal-retention = \"P40D\"\n"
                            + "[max_journal_retention]\ninitial_interval = \"100ms\"\n"),
                    Map.of(),
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("\"max-journal-retention\" is given twice");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file("max-journal-retention = \"P40D\"\nmax_journal_retention = \"P1D\"\n"),
                    Map.of(),
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("given twice");
  }

  @Test
  void zeroInvokerTimeoutsAreAcceptedFromEnvAndFileAsOnRestateServer() throws IOException {
    // restate-server 1.7.12 starts with these and prints them back in --dump-config
    ServerConfig env =
        ConfigLoader.load(
            null,
            Map.of(
                "RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT",
                "0s",
                "RESTATE_WORKER__INVOKER__ABORT_TIMEOUT",
                "0s"),
            Map.of());
    assertThat(env.worker().invoker().inactivityTimeout()).isZero();
    assertThat(env.worker().invoker().abortTimeout()).isZero();
    ServerConfig file =
        ConfigLoader.load(
            file("[worker.invoker]\ninactivity-timeout = \"0s\"\n"), Map.of(), Map.of());
    assertThat(file.worker().invoker().inactivityTimeout()).isZero();
    assertThat(file.schemaDefaults().inactivityTimeout()).isZero();
    assertThatThrownBy(
            () -> new InvokerConfig(Duration.ofSeconds(-1), Duration.ofMinutes(1), 1, null))
        .hasMessageContaining("inactivity-timeout must not be negative");
  }

  @Test
  void configuredDefaultsBecomeTheSchemaDefaults() {
    ServerConfig c =
        ConfigLoader.load(
            null,
            Map.of(
                "RESTATE_DEFAULT_RETRY_POLICY__MAX_ATTEMPTS", "1",
                "RESTATE_DEFAULT_RETRY_POLICY__ON_MAX_ATTEMPTS", "kill",
                "RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL", "1ms",
                "RESTATE_DEFAULT_JOURNAL_RETENTION", "2h",
                "RESTATE_DEFAULT_IDEMPOTENCY_RETENTION", "3h",
                "RESTATE_DEFAULT_WORKFLOW_COMPLETION_RETENTION", "4h",
                "RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT", "5s",
                "RESTATE_WORKER__INVOKER__ABORT_TIMEOUT", "6s"),
            Map.of());
    var d = c.schemaDefaults();
    assertThat(d.retryPolicy())
        .isEqualTo(
            new RetryPolicy(
                Duration.ofMillis(1),
                2.0,
                1,
                Duration.ofMinutes(1),
                RetryPolicy.OnMaxAttempts.KILL));
    assertThat(d.journalRetention()).isEqualTo(Duration.ofHours(2));
    assertThat(d.idempotencyRetention()).isEqualTo(Duration.ofHours(3));
    assertThat(d.workflowCompletionRetention()).isEqualTo(Duration.ofHours(4));
    assertThat(d.inactivityTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.abortTimeout()).isEqualTo(Duration.ofSeconds(6));
    assertThat(ServerConfig.defaults().schemaDefaults())
        .isEqualTo(dev.resolute.server.schema.SchemaRegistry.Defaults.RESTATE);
  }

  /** The environment Restate's sdk-test-suite gives every server it starts (single node). */
  @Test
  void sdkTestSuiteEnvironmentIsAcceptedAndEachClusterKeyIsWarnedAboutByName() {
    List<String> notes = new ArrayList<>();
    ServerConfig c =
        ConfigLoader.load(
            null,
            Map.ofEntries(
                Map.entry("RESTATE_CLUSTER_NAME", "3f1c2a4e-0000-4000-8000-000000000000"),
                Map.entry("RESTATE_AUTO_PROVISION", "true"),
                Map.entry("RESTATE_BIFROST__DEFAULT_PROVIDER", "replicated"),
                Map.entry("RESTATE_BIFROST__REPLICATED_LOGLET__DEFAULT_LOG_REPLICATION", "1"),
                Map.entry(
                    "RESTATE_ROLES", "[worker,http-ingress,log-server,admin,metadata-server]"),
                Map.entry("RESTATE_METADATA_SERVER__TYPE", "replicated"),
                Map.entry("RESTATE_METADATA_CLIENT__ADDRESSES", "[http://127.0.0.1:5122]"),
                Map.entry("RESTATE_ADVERTISED_ADDRESS", "http://127.0.0.1:5122"),
                Map.entry("RESTATE_NETWORKING__HTTP2_KEEP_ALIVE_INTERVAL", "4s"),
                Map.entry("RESTATE_NETWORKING__HTTP2_KEEP_ALIVE_TIMEOUT", "20s"),
                Map.entry("RESTATE_ADMIN__BIND_ADDRESS", "0.0.0.0:9070"),
                Map.entry("RESTATE_INGRESS__BIND_ADDRESS", "0.0.0.0:8080"),
                Map.entry("RESTATE_BASE_DIR", "/state"),
                Map.entry("RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT", "0s"),
                Map.entry("RESTATE_DEFAULT_RETRY_POLICY__MAX_ATTEMPTS", "1"),
                Map.entry("RESTATE_DEFAULT_RETRY_POLICY__ON_MAX_ATTEMPTS", "kill"),
                Map.entry("RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL", "1ms"),
                Map.entry("DO_NOT_TRACK", "true")),
            Map.of(),
            notes);
    assertThat(c.clusterName()).isEqualTo("3f1c2a4e-0000-4000-8000-000000000000");
    assertThat(c.baseDir()).isEqualTo(Path.of("/state"));
    assertThat(c.defaultRetryPolicy().onMaxAttempts()).isEqualTo(RetryPolicy.OnMaxAttempts.KILL);
    assertThat(String.join("\n", notes))
        .contains(
            "\"auto-provision\"",
            "\"roles\"",
            "\"advertised-address\"",
            "\"bifrost.default-provider\"",
            "\"bifrost.replicated-loglet.default-log-replication\"",
            "\"metadata-server.type\"",
            "\"metadata-client.addresses\"",
            "\"networking.http2-keep-alive-interval\"",
            "\"networking.http2-keep-alive-timeout\"");
    assertThat(notes).hasSize(9);
    // the same keys from a TOML file
    notes.clear();
    ConfigLoader.load(null, Map.of(), Map.of(), notes);
    assertThat(notes).isEmpty();
  }

  @Test
  void kafkaClustersAreReadFromTheFileAndTheEnvironment() throws IOException {
    List<String> notes = new ArrayList<>();
    ServerConfig fromFile =
        ConfigLoader.load(
            file(
                "[[ingress.kafka-clusters]]\nname = \"c\"\nbrokers = [\"b:9092\", \"d:9092\"]\n"
                    + "\"sasl.password\" = \"s\"\n"
                    + "[[ingress.kafka-clusters]]\nname = \"e\"\nbrokers = [\"f:9092\"]\n"),
            Map.of(),
            Map.of(),
            notes);
    assertThat(notes).isEmpty();
    assertThat(fromFile.ingress().kafkaClusters())
        .containsExactly(
            new KafkaClusterConfig("c", List.of("b:9092", "d:9092"), Map.of("sasl.password", "s")),
            new KafkaClusterConfig("e", List.of("f:9092"), Map.of()));
    assertThat(fromFile.ingress().kafkaClusters().get(0).properties())
        .containsEntry("metadata.broker.list", "b:9092,d:9092")
        .containsEntry("sasl.password", "s");
    ServerConfig fromEnv =
        ConfigLoader.load(
            null,
            Map.of("RESTATE_INGRESS__KAFKA_CLUSTERS", "[{name=\"c\",brokers=[\"b:9092\"]}]"),
            Map.of(),
            notes);
    assertThat(fromEnv.ingress().kafkaClusters())
        .containsExactly(new KafkaClusterConfig("c", List.of("b:9092"), Map.of()));
    assertThat(
            ConfigLoader.load(null, Map.of("RESTATE_INGRESS__KAFKA_CLUSTERS", "[]"), Map.of())
                .ingress()
                .kafkaClusters())
        .isEmpty();
    assertThat(
            ConfigLoader.load(file("[ingress]\nkafka-clusters = []\n"), Map.of(), Map.of())
                .ingress()
                .kafkaClusters())
        .isEmpty();
    // the dump loads back to the same clusters
    ServerConfig again = ConfigLoader.load(file(TomlDump.dump(fromFile)), Map.of(), Map.of());
    assertThat(again.ingress().kafkaClusters()).isEqualTo(fromFile.ingress().kafkaClusters());
  }

  @Test
  void badKafkaClustersAreRefusedWithTheReason() {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file("[[ingress.kafka-clusters]]\nname = \"c\"\n"), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing field `brokers`");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file("[[ingress.kafka-clusters]]\nbrokers = [\"b:1\"]\n"), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing field `name`");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file(
                        "[[ingress.kafka-clusters]]\nname = \"c\"\nbrokers = [\"b:1\"]\n"
                            + "\"fetch.wait.max.ms\" = 5\n"),
                    Map.of(),
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("expected a string for property \"fetch.wait.max.ms\"");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file(
                        "[[ingress.kafka-clusters]]\nname = \"c\"\nbrokers = [\"b:1\"]\n"
                            + "[[ingress.kafka-clusters]]\nname = \"c\"\nbrokers = [\"b:2\"]\n"),
                    Map.of(),
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("declared twice");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    null, Map.of("RESTATE_INGRESS__KAFKA_CLUSTERS", "not an array"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("expected an array of tables");
  }

  @Test
  void clusterKeysFromAFileAreAcceptedToo() throws IOException {
    List<String> notes = new ArrayList<>();
    ConfigLoader.load(
        file(
            """
        roles = ["worker", "admin", "http-ingress", "log-server", "metadata-server"]
        auto-provision = false

        [bifrost]
        default-provider = "replicated"

        [bifrost.replicated-loglet]
        default-log-replication = 1

        [metadata-server]
        type = "replicated"

        [metadata-client]
        addresses = ["http://127.0.0.1:5122"]

        [networking]
        http2-keep-alive-interval = "4s"
        http2-keep-alive-timeout = "20s"
        """),
        Map.of(),
        Map.of(),
        notes);
    assertThat(notes).hasSize(8);
  }

  @Test
  void defaultsMatchRestate() {
    ServerConfig c = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(c.baseDir()).isEqualTo(Path.of("restate-data"));
    assertThat(c.nodeName()).isEqualTo("resolute");
    assertThat(c.dataDir()).isEqualTo(Path.of("restate-data", "resolute"));
    assertThat(c.clusterName()).isEqualTo("localcluster");
    assertThat(c.defaultNumPartitions()).isEqualTo(24);
    assertThat(c.ingress().bindAddress()).hasToString("0.0.0.0:8080");
    assertThat(c.admin().bindAddress()).hasToString("0.0.0.0:9070");
    assertThat(c.worker().invoker().inactivityTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.worker().invoker().abortTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.worker().invoker().concurrentInvocationsLimit()).isEqualTo(1000);
    assertThat(c.defaultJournalRetention()).isEqualTo(Duration.ofDays(1));
    RetryPolicyConfig r = c.defaultRetryPolicy();
    assertThat(r.initialInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(r.exponentiationFactor()).isEqualTo(2.0);
    assertThat(r.maxInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(r.maxAttempts()).isEqualTo(70);
    assertThat(r.onMaxAttempts()).isEqualTo(RetryPolicy.OnMaxAttempts.PAUSE);
    assertThat(c).isEqualTo(ServerConfig.defaults());
  }

  @Test
  void precedenceIsDefaultsFileEnvCli() throws IOException {
    Path f =
        file(
            """
        base-dir = "/from/file"
        node-name = "file-node"
        cluster-name = "file-cluster"
        default-num-partitions = 8

        [ingress]
        bind-address = "127.0.0.1:1111"

        [admin]
        bind-address = "127.0.0.1:2222"

        [worker.invoker]
        inactivity-timeout = "10s"
        abort-timeout = "PT30S"
        """);
    Map<String, String> env =
        Map.of(
            "RESTATE_INGRESS__BIND_ADDRESS", "127.0.0.1:18080",
            "RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT", "5s",
            "RESTATE_NODE_NAME", "env-node",
            "RESTATE_BASE_DIR", "/from/env");
    ServerConfig c = ConfigLoader.load(f, env, Map.of("base-dir", "/from/cli"));
    assertThat(c.baseDir()).isEqualTo(Path.of("/from/cli"));
    assertThat(c.nodeName()).isEqualTo("env-node");
    assertThat(c.clusterName()).isEqualTo("file-cluster");
    assertThat(c.defaultNumPartitions()).isEqualTo(8);
    assertThat(c.ingress().bindAddress()).isEqualTo(new BindAddress("127.0.0.1", 18080));
    assertThat(c.admin().bindAddress()).isEqualTo(new BindAddress("127.0.0.1", 2222));
    assertThat(c.worker().invoker().inactivityTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.worker().invoker().abortTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.dataDir()).isEqualTo(Path.of("/from/cli", "env-node"));
  }

  @Test
  void retryPolicyAcceptsBothSpellingsAndUnlimited() throws IOException {
    Path f =
        file(
            """
        default-journal-retention = "P40D"
        [default-retry-policy]
        initial_interval = "100ms"
        exponentiation-factor = 1.5
        max-interval = "10 seconds"
        max-attempts = "unlimited"
        on-max-attempts = "kill"
        """);
    ServerConfig c = ConfigLoader.load(f, Map.of(), Map.of());
    assertThat(c.defaultJournalRetention()).isEqualTo(Duration.ofDays(40));
    RetryPolicy p = c.defaultRetryPolicy().toRetryPolicy();
    assertThat(p.initialInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(p.exponentiationFactor()).isEqualTo(1.5);
    assertThat(p.maxInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.maxAttempts()).isNull();
    assertThat(p.onMaxAttempts()).isEqualTo(RetryPolicy.OnMaxAttempts.KILL);
  }

  @Test
  void envValuesAreConvertedFromStrings() {
    ServerConfig c =
        ConfigLoader.load(
            null,
            Map.of(
                "RESTATE_DEFAULT_NUM_PARTITIONS", "4",
                "RESTATE_WORKER__INVOKER__CONCURRENT_INVOCATIONS_LIMIT", "7",
                "RESTATE_DEFAULT_RETRY_POLICY__EXPONENTIATION_FACTOR", "3",
                "RESTATE_CONFIG", "/ignored/here",
                "PATH", "/usr/bin"),
            Map.of());
    assertThat(c.defaultNumPartitions()).isEqualTo(4);
    assertThat(c.worker().invoker().concurrentInvocationsLimit()).isEqualTo(7);
    assertThat(c.defaultRetryPolicy().exponentiationFactor()).isEqualTo(3.0);
  }

  @Test
  void unknownKeyInFileIsRejectedWithItsName() throws IOException {
    Path f = file("[ingress]\nbind-addr = \"127.0.0.1:5\"\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("unknown key \"ingress.bind-addr\" in server.toml TOML file");
    Path g = file("foo-bar = 1\n");
    assertThatThrownBy(() -> ConfigLoader.load(g, Map.of(), Map.of()))
        .hasMessageContaining("unknown key \"foo-bar\"");
  }

  @Test
  void unknownKeyInsideAKnownSectionFromEnvIsRejected() {
    assertThatThrownBy(
            () -> ConfigLoader.load(null, Map.of("RESTATE_WORKER__INVOKER__NOPE", "1"), Map.of()))
        .hasMessageContaining("unknown key \"worker.invoker.nope\"")
        .hasMessageContaining("RESTATE_WORKER__INVOKER__NOPE");
  }

  @Test
  void unknownTopLevelEnvIsOnlyAWarning() {
    // RESTATE_ is shared with the restate CLI (RESTATE_ADMIN_URL, ...): not a config error
    ServerConfig c = ConfigLoader.load(null, Map.of("RESTATE_ADMIN_URL", "http://x"), Map.of());
    assertThat(c).isEqualTo(ServerConfig.defaults());
  }

  @Test
  void malformedBindAddressNamesTheKey() throws IOException {
    Path f = file("[ingress]\nbind-address = \"nope\"\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("for key \"ingress.bind-address\" in server.toml TOML file")
        .hasMessageContaining("nope");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    null, Map.of("RESTATE_ADMIN__BIND_ADDRESS", "300.1.1.1:80"), Map.of()))
        .hasMessageContaining("admin.bind-address")
        .hasMessageContaining("RESTATE_ADMIN__BIND_ADDRESS");
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    null, Map.of("RESTATE_ADMIN__BIND_ADDRESS", "127.0.0.1:99999"), Map.of()))
        .hasMessageContaining("admin.bind-address");
  }

  @Test
  void malformedDurationAndTypesNameTheKey() throws IOException {
    Path f = file("[worker.invoker]\ninactivity-timeout = \"5 blah\"\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of()))
        .hasMessageContaining(
            "for key \"worker.invoker.inactivity-timeout\" in server.toml TOML file");
    Path g = file("default-num-partitions = \"many\"\n");
    assertThatThrownBy(() -> ConfigLoader.load(g, Map.of(), Map.of()))
        .hasMessageContaining("expected an integer")
        .hasMessageContaining("default-num-partitions");
    Path h = file("default-num-partitions = 70000\n");
    assertThatThrownBy(() -> ConfigLoader.load(h, Map.of(), Map.of()))
        .hasMessageContaining("default-num-partitions");
    Path i = file("[ingress]\nbind-address = 8080\n");
    assertThatThrownBy(() -> ConfigLoader.load(i, Map.of(), Map.of()))
        .hasMessageContaining("ingress.bind-address");
    Path j = file("ingress = 3\n");
    assertThatThrownBy(() -> ConfigLoader.load(j, Map.of(), Map.of()))
        .hasMessageContaining("expected a table")
        .hasMessageContaining("\"ingress\"");
  }

  @Test
  void invalidTomlSyntaxReportsLine() throws IOException {
    Path f = file("a = \n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of(), Map.of()))
        .hasMessageContaining("invalid TOML in server.toml TOML file at line 1");
  }

  @Test
  void restateKeysResoluteDoesNotImplementAreAccepted() throws IOException {
    Path f =
        file(
            """
        roles = ["http-ingress", "admin", "worker"]
        auto-provision = true
        log-filter = "warn,restate=info"
        gossip-tick-interval = "100ms"
        [metadata-client]
        type = "replicated"
        [worker]
        cleanup-interval = "1h"
        [worker.storage]
        rocksdb-block-size = "64.0 KiB"
        [worker.invoker]
        message-size-limit = "32.0 MiB"
        [worker.invoker.additional-request-headers]
        x-restate-cluster-name = "localcluster"
        [admin]
        disable-web-ui = false
        [admin.query-engine]
        memory-size = "1.0 GiB"
        [ingress]
        kafka-clusters = []
        """);
    assertThat(ConfigLoader.load(f, Map.of(), Map.of())).isEqualTo(ServerConfig.defaults());
  }

  @Test
  void disableWebUiIsReadFromTheFileAndTheEnvironment() throws IOException {
    assertThat(ServerConfig.defaults().admin().disableWebUi()).isFalse();
    Path f =
        file(
            """
        [admin]
        disable-web-ui = true
        """);
    ServerConfig c = ConfigLoader.load(f, Map.of(), Map.of());
    assertThat(c.admin().disableWebUi()).isTrue();
    assertThat(ConfigLoader.load(file(c.toToml()), Map.of(), Map.of())).isEqualTo(c);
    assertThat(
            ConfigLoader.load(null, Map.of("RESTATE_ADMIN__DISABLE_WEB_UI", "true"), Map.of())
                .admin()
                .disableWebUi())
        .isTrue();
  }

  @Test
  void dumpConfigRoundTrips() throws IOException {
    ServerConfig c =
        ConfigLoader.load(
            null,
            Map.of(
                "RESTATE_INGRESS__BIND_ADDRESS",
                "127.0.0.1:18080",
                "RESTATE_WORKER__INVOKER__ABORT_TIMEOUT",
                "1s 500ms"),
            Map.of("node-name", "n1"));
    String toml = c.toToml();
    assertThat(toml)
        .contains(
            "bind-address = \"127.0.0.1:18080\"",
            "abort-timeout = \"1s 500ms\"",
            "node-name = \"n1\"",
            "default-journal-retention = \"1d\"",
            "[worker.invoker]");
    assertThat(ConfigLoader.load(file(toml), Map.of(), Map.of())).isEqualTo(c);
  }

  @Test
  void partitionCountIsPinnedAtFirstStart() {
    ServerConfig first =
        ConfigLoader.load(
            null, Map.of(), Map.of("base-dir", tmp.toString(), "default-num-partitions", "4"));
    assertThat(NodeMarker.verifyOrCreate(first)).isEqualTo(4);
    assertThat(NodeMarker.verifyOrCreate(first)).isEqualTo(4);
    ServerConfig changed = ConfigLoader.load(null, Map.of(), Map.of("base-dir", tmp.toString()));
    assertThatThrownBy(() -> NodeMarker.verifyOrCreate(changed))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("default-num-partitions = 24 differs from 4");
    ServerConfig otherCluster =
        ConfigLoader.load(
            null,
            Map.of(),
            Map.of("base-dir", tmp.toString(), "default-num-partitions", "4", "cluster-name", "x"));
    assertThatThrownBy(() -> NodeMarker.verifyOrCreate(otherCluster))
        .hasMessageContaining("cluster-name");
  }

  @Test
  void markerKeepsAClusterNameWithCharactersThatPropertiesEscape() {
    String name = " a b=c:d#e!f\u00e9\u4e2d ";
    ServerConfig c =
        ConfigLoader.load(
            null,
            Map.of(),
            Map.of(
                "base-dir", tmp.toString(), "default-num-partitions", "3", "cluster-name", name));
    assertThat(NodeMarker.verifyOrCreate(c)).isEqualTo(3);
    assertThat(NodeMarker.verifyOrCreate(c)).isEqualTo(3); // read back: the same name
    ServerConfig other =
        ConfigLoader.load(
            null,
            Map.of(),
            Map.of(
                "base-dir",
                tmp.toString(),
                "default-num-partitions",
                "3",
                "cluster-name",
                name.trim()));
    assertThatThrownBy(() -> NodeMarker.verifyOrCreate(other)).hasMessageContaining("cluster-name");
  }
}
