package dev.resolute.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [cluster]}: off by default, every key applied, bad values and unknown keys refused. */
class ClusterConfigTest {
  @TempDir Path tmp;

  private Path file(String toml) throws IOException {
    Path f = tmp.resolve("server.toml");
    Files.writeString(f, toml);
    return f;
  }

  @Test
  void offWithoutBootstrapServers() throws Exception {
    assertThat(ConfigLoader.load(null, Map.of(), Map.of()).cluster())
        .isEqualTo(ClusterConfig.disabled());
    ClusterConfig c =
        ConfigLoader.load(file("[cluster]\nbootstrap-servers = \"\"\n"), Map.of(), Map.of())
            .cluster();
    assertThat(c.enabled()).isFalse();
    assertThat(c).isEqualTo(ClusterConfig.disabled());
  }

  @Test
  void everyKeyIsApplied() throws Exception {
    ServerConfig s =
        ConfigLoader.load(
            file(
                """
                cluster-name = "prod"
                [cluster]
                node-id = 3
                bootstrap-servers = "k1:9092,k2:9092"
                replication-factor = 5
                min-insync-replicas = 3
                warm-followers = true
                session-timeout = "2s"
                append-timeout = "5s"
                fencing = "transactional"
                """),
            Map.of(),
            Map.of());
    ClusterConfig c = s.cluster();
    assertThat(c.enabled()).isTrue();
    assertThat(c.nodeId()).isEqualTo(3);
    assertThat(c.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
    assertThat(c.topic()).isEqualTo("prod-log");
    assertThat(c.replicationFactor()).isEqualTo((short) 5);
    assertThat(c.minInsyncReplicas()).isEqualTo(3);
    assertThat(c.warmFollowers()).isTrue();
    assertThat(c.sessionTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.appendTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.fencing()).isEqualTo(ClusterConfig.Fencing.TRANSACTIONAL);
    // the environment too, and the dump loads back to the same
    ClusterConfig env =
        ConfigLoader.load(
                null,
                Map.of(
                    "RESTATE_CLUSTER__BOOTSTRAP_SERVERS", "k:1",
                    "RESTATE_CLUSTER__NODE_ID", "7",
                    "RESTATE_CLUSTER__TOPIC", "my-log"),
                Map.of())
            .cluster();
    assertThat(env.nodeId()).isEqualTo(7);
    assertThat(env.topic()).isEqualTo("my-log");
    assertThat(env.replicationFactor()).isEqualTo(ClusterConfig.DEFAULT_REPLICATION_FACTOR);
    assertThat(env.minInsyncReplicas()).isEqualTo(ClusterConfig.DEFAULT_MIN_INSYNC_REPLICAS);
    assertThat(env.fencing()).isEqualTo(ClusterConfig.Fencing.EPOCH);
    assertThat(ConfigLoader.load(file(s.toToml()), Map.of(), Map.of()).cluster()).isEqualTo(c);
  }

  @Test
  void coldFollowersAreConfigured() throws Exception {
    ClusterConfig c =
        load("bootstrap-servers = \"k:1\"\nnode-id = 2\nwarm-followers = false\n").cluster();
    assertThat(c.warmFollowers()).isFalse();
    assertThat(load("bootstrap-servers = \"k:1\"\nnode-id = 2\n").cluster().warmFollowers())
        .isTrue();
    ClusterConfig env =
        ConfigLoader.load(
                null,
                Map.of(
                    "RESTATE_CLUSTER__BOOTSTRAP_SERVERS", "k:1",
                    "RESTATE_CLUSTER__NODE_ID", "7",
                    "RESTATE_CLUSTER__WARM_FOLLOWERS", "false"),
                Map.of())
            .cluster();
    assertThat(env.warmFollowers()).isFalse();
  }

  @Test
  void badValuesAndUnknownKeysAreRefusedByName() {
    assertThatThrownBy(() -> load("bootstrap-servers = \"k:1\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.node-id");
    assertThatThrownBy(
            () -> load("bootstrap-servers = \"k:1\"\nnode-id = 1\nwarm-followers = \"no\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.warm-followers");
    assertThatThrownBy(() -> load("bootstrap-servers = \"k:1\"\nnode-id = 1\nwarm-followers = 0\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.warm-followers");
    assertThatThrownBy(
            () -> load("bootstrap-servers = \"k:1\"\nnode-id = 1\ncold-followers = true\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cold-followers");
    assertThatThrownBy(
            () ->
                load(
                    "bootstrap-servers = \"k:1\"\nnode-id = 1\nreplication-factor = 1\n"
                        + "min-insync-replicas = 2\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.min-insync-replicas");
    assertThatThrownBy(() -> load("bootstrap-servers = \"k:1\"\nnode-id = 70000\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.node-id");
    assertThatThrownBy(() -> load("bootstrap-servers = \"k:1\"\nnode-id = 1\ntopic = \"a b\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.topic");
    assertThatThrownBy(
            () -> load("bootstrap-servers = \"k:1\"\nnode-id = 1\nappend-timeout = \"10ms\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.append-timeout must be at least 1s");
    assertThatThrownBy(() -> load("bootstrap-servers = \"k:1\"\nnode-id = 1\nfencing = \"raft\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown variant \"raft\"")
        .hasMessageContaining("cluster.fencing");
    assertThatThrownBy(() -> load("bootstrap-servers = \"k:1\"\nnode-id = 1\nbrokers = 3\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key \"cluster.brokers\"");
  }

  @Test
  void aMessageSizeLimitAboveTheClusterLogsRecordLimitIsRefused() throws Exception {
    String cluster = "[cluster]\nbootstrap-servers = \"k:1\"\nnode-id = 1\n";
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    file("[worker.invoker]\nmessage-size-limit = \"64 MiB\"\n" + cluster),
                    Map.of(),
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("worker.invoker.message-size-limit must be at most")
        .hasMessageContaining("in cluster mode");
    // the same limit is fine on the single node's local log, and up to the bound in a cluster
    assertThat(
            ConfigLoader.load(
                    file("[worker.invoker]\nmessage-size-limit = \"64 MiB\"\n"), Map.of(), Map.of())
                .worker()
                .invoker()
                .messageSizeLimit())
        .isEqualTo(64L * 1024 * 1024);
    assertThat(
            ConfigLoader.load(
                    file("[worker.invoker]\nmessage-size-limit = \"40 MiB\"\n" + cluster),
                    Map.of(),
                    Map.of())
                .cluster()
                .enabled())
        .isTrue();
  }

  private ServerConfig load(String section) throws IOException {
    return ConfigLoader.load(file("[cluster]\n" + section), Map.of(), Map.of());
  }
}
