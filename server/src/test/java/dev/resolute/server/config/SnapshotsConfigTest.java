package dev.resolute.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code [worker.snapshots]}: restate-server's keys applied in cluster mode, bad values refused by
 * name, a destination without cluster mode refused, other keys without a destination named.
 */
class SnapshotsConfigTest {
  @TempDir Path tmp;

  static final String CLUSTER = "[cluster]\nbootstrap-servers = \"k:1\"\nnode-id = 1\n";

  private ServerConfig load(String toml) throws IOException {
    return load(toml, new ArrayList<>());
  }

  private ServerConfig load(String toml, List<String> notes) throws IOException {
    Path f = tmp.resolve("server.toml");
    Files.writeString(f, toml);
    return ConfigLoader.load(f, Map.of(), Map.of(), notes);
  }

  @Test
  void offByDefaultAndRestatesDumpedDefaultsLoadQuietly() throws IOException {
    List<String> notes = new ArrayList<>();
    SnapshotsConfig s =
        load(
                """
                [worker.snapshots]
                num-retained = 1
                [worker.snapshots.object-store-retry-policy]
                type = "exponential"
                initial-interval = "100ms"
                factor = 2.0
                max-attempts = 10
                max-interval = "10s"
                """,
                notes)
            .worker()
            .snapshots();
    assertThat(s).isEqualTo(SnapshotsConfig.defaults());
    assertThat(s.enabled()).isFalse();
    assertThat(notes).isEmpty();
  }

  @Test
  void everyKeyIsApplied() throws IOException {
    SnapshotsConfig s =
        load(CLUSTER
                + """
                    [worker.snapshots]
                    destination = "s3://bucket/cluster-prefix"
                    snapshot-interval-num-records = 1000
                    snapshot-interval = "5m"
                    num-retained = 3
                    aws-region = "local"
                    aws-access-key-id = "minioadmin"
                    aws-secret-access-key = "minioadmin"
                    aws-endpoint-url = "http://localhost:9000"
                    aws-allow-http = true
                    """)
            .worker()
            .snapshots();
    assertThat(s.destination()).isEqualTo("s3://bucket/cluster-prefix");
    assertThat(s.intervalNumRecords()).isEqualTo(1000L);
    assertThat(s.interval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.numRetained()).isEqualTo(3);
    assertThat(s.awsRegion()).isEqualTo("local");
    assertThat(s.awsAccessKeyId()).isEqualTo("minioadmin");
    assertThat(s.awsEndpointUrl()).isEqualTo("http://localhost:9000");
    assertThat(s.awsAllowHttp()).isTrue();
    assertThat(s.automatic()).isTrue();
    // restate-server's environment variables
    Path f = tmp.resolve("c.toml");
    Files.writeString(f, CLUSTER);
    SnapshotsConfig env =
        ConfigLoader.load(
                f,
                Map.of(
                    "RESTATE_WORKER__SNAPSHOTS__DESTINATION", "file:///mnt/snapshots",
                    "RESTATE_WORKER__SNAPSHOTS__SNAPSHOT_INTERVAL_NUM_RECORDS", "1000"),
                Map.of())
            .worker()
            .snapshots();
    assertThat(env.destination()).isEqualTo("file:///mnt/snapshots");
    assertThat(env.intervalNumRecords()).isEqualTo(1000L);
    assertThat(env.interval()).isNull();
  }

  @Test
  void badValuesAreRefusedByName() throws IOException {
    assertThatThrownBy(() -> load(CLUSTER + "[worker.snapshots]\ndestination = \"http://x/y\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("worker.snapshots.destination must be file:///path or s3://");
    assertThatThrownBy(() -> load(CLUSTER + "[worker.snapshots]\ndestination = \"s3:///p\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("needs a bucket");
    assertThatThrownBy(() -> load(CLUSTER + "[worker.snapshots]\ndestination = \"file://rel\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("absolute path");
    assertThatThrownBy(
            () -> load(CLUSTER + "[worker.snapshots]\nsnapshot-interval-num-records = 0\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("worker.snapshots.snapshot-interval-num-records");
    assertThatThrownBy(() -> load(CLUSTER + "[worker.snapshots]\nnum-retained = 0\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("expected a nonzero u8 for key \"worker.snapshots.num-retained\"");
    assertThatThrownBy(() -> load(CLUSTER + "[worker.snapshots]\nnum-retained = 256\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("worker.snapshots.num-retained");
    assertThatThrownBy(
            () ->
                load(
                    CLUSTER
                        + "[worker.snapshots]\ndestination = \"s3://b\"\n"
                        + "aws-endpoint-url = \"http://127.0.0.1:9000\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("aws-allow-http");
    assertThatThrownBy(
            () ->
                load(
                    CLUSTER
                        + "[worker.snapshots]\ndestination = \"s3://b\"\n"
                        + "aws-access-key-id = \"a\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must be set together");
    assertThatThrownBy(() -> load(CLUSTER + "[worker.snapshots]\nsnapshot-interval = \"0s\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("snapshot-interval must not be 0");
    // restate-server ignores a misspelt key here; Resolute names it
    List<String> notes = new ArrayList<>();
    load(CLUSTER + "[worker.snapshots]\ndestinaton = \"s3://b\"\n", notes);
    assertThat(notes).anyMatch(n -> n.contains("worker.snapshots.destinaton"));
  }

  @Test
  void aDestinationNeedsClusterModeAndOtherKeysWithoutOneAreNamed() throws IOException {
    assertThatThrownBy(() -> load("[worker.snapshots]\ndestination = \"file:///tmp/s\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("\"worker.snapshots.destination\" needs cluster mode");
    List<String> notes = new ArrayList<>();
    load(CLUSTER + "[worker.snapshots]\nsnapshot-interval-num-records = 10\n", notes);
    assertThat(notes)
        .anyMatch(
            n ->
                n.contains("worker.snapshots.snapshot-interval-num-records")
                    && n.contains("no effect"));
  }
}
