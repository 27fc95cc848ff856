package dev.resolute.server.schema;

import static dev.resolute.server.schema.SchemaRegistryTest.ep;
import static dev.resolute.server.schema.SchemaRegistryTest.svc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.server.kafka.KafkaCluster;
import dev.resolute.server.kafka.KafkaMetadata;
import dev.resolute.server.kafka.Subscription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single node's metadata: the metadata log in the data directory ({@link MetadataLog#local}), the
 * caches beside it, and the import of a data directory from before the metadata log.
 */
class LocalMetadataTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;

  /** The node's metadata as {@code ResoluteServer} opens it. */
  static final class Node implements AutoCloseable {
    final MetadataLog log;
    final SchemaRegistry registry;
    final KafkaMetadata kafka;

    Node(Path data) {
      log = MetadataLog.local(data, "test");
      registry =
          SchemaRegistry.replicated(log, data, SchemaRegistry.Defaults.RESTATE, Clock.systemUTC());
      kafka =
          new KafkaMetadata(
              log,
              data.resolve("kafka.json"),
              List.of(),
              registry,
              Clock.systemUTC(),
              new Random());
      log.start();
    }

    @Override
    public void close() {
      log.close();
    }
  }

  /** Deployments, a service change, a cluster and a subscription: four kinds of record. */
  static Subscription populate(Node n) throws Exception {
    n.registry.register(
        ep("http://a/", svc("S", "VIRTUAL_OBJECT", "{\"name\":\"h\"}")),
        Map.of("X-Key", "v"),
        Map.of(),
        false,
        false,
        false);
    n.registry.register(
        ep("http://b/", svc("T", "SERVICE", "{\"name\":\"h\"}")),
        Map.of(),
        Map.of(),
        false,
        false,
        false);
    n.registry.modifyService("S", new ServiceOverride(0, false, null, null, null, null, 5_000L));
    n.kafka.createCluster("kc", Map.of("bootstrap.servers", "b:1"));
    return n.kafka.createSubscription("kafka://kc/events", "service://S/h", null);
  }

  static long cacheLsn(Path file) throws Exception {
    return JSON.readTree(file.toFile()).get("lsn").asLong();
  }

  @Test
  void everyChangeIsALogRecordAndARestartSeesItFromTheCachesOrFromTheLog() throws Exception {
    SchemaRegistry.Snapshot before;
    Subscription sub;
    try (Node n = new Node(data)) {
      sub = populate(n);
      before = n.registry.snapshot();
      assertThat(n.log.appliedLsn()).isEqualTo(5);
      // a refused change is a record too: applied (refused) on every node alike
      assertThatThrownBy(() -> n.registry.removeDeployment("dp_11111111111111111111111111"))
          .isInstanceOfSatisfying(
              SchemaException.class, e -> assertThat(e.status()).isEqualTo(404));
      assertThat(n.log.appliedLsn()).isEqualTo(6);
    }
    assertThat(cacheLsn(data.resolve(SchemaRegistry.FILE))).isEqualTo(6);
    assertThat(cacheLsn(data.resolve("kafka.json"))).isEqualTo(6);
    assertThat(Files.list(data.resolve(MetadataLog.LOCAL_DIR)).map(p -> p.getFileName().toString()))
        .anyMatch(f -> f.endsWith(".seg"));

    // from the caches, nothing replayed
    try (Node n = new Node(data)) {
      assertThat(n.registry.snapshot()).isEqualTo(before);
      assertThat(n.kafka.subscriptions()).containsExactly(sub);
      assertThat(n.log.appliedLsn()).isEqualTo(6);
    }
    // without the caches: the whole log replayed
    Files.delete(data.resolve(SchemaRegistry.FILE));
    Files.delete(data.resolve("kafka.json"));
    try (Node n = new Node(data)) {
      assertThat(n.registry.snapshot()).isEqualTo(before);
      assertThat(n.kafka.subscriptions()).containsExactly(sub);
    }
    // caches at different positions (a crash between their writes): the whole log replayed
    ObjectNode stale = (ObjectNode) JSON.readTree(data.resolve("kafka.json").toFile());
    stale.put("lsn", 3).putArray("subscriptions");
    Files.write(data.resolve("kafka.json"), JSON.writeValueAsBytes(stale));
    try (Node n = new Node(data)) {
      assertThat(n.registry.snapshot()).isEqualTo(before);
      assertThat(n.kafka.subscriptions()).containsExactly(sub);
      // and the node goes on from there
      n.registry.removeDeployment(before.latest().get("T").deploymentId());
      assertThat(n.registry.service("T")).isEmpty();
    }
    try (Node n = new Node(data)) {
      assertThat(n.registry.service("T")).isEmpty();
      assertThat(n.registry.service("S")).isPresent();
      assertThat(n.log.appliedLsn()).isEqualTo(7);
    }
  }

  @Test
  void aCacheAheadOfTheLogStopsTheStart() throws Exception {
    try (Node n = new Node(data)) {
      populate(n);
    }
    // the metadata log is gone, the caches name lsn 5: replaying would lose every change after
    // the caches on the next restart, so the node refuses
    try (var files = Files.list(data.resolve(MetadataLog.LOCAL_DIR))) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    assertThatThrownBy(() -> new Node(data))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the log ends at lsn 0");
  }

  /** A data directory from before the metadata log: the files without an LSN. */
  static void makeLegacy(Path file) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
    root.remove("lsn");
    Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  @Test
  void aDataDirectoryFromBeforeTheMetadataLogIsImportedOnce(@TempDir Path old) throws Exception {
    // the files as a node kept them before the metadata log
    SchemaRegistry before = SchemaRegistry.open(old);
    before.register(
        ep("http://a/", svc("S", "VIRTUAL_OBJECT", "{\"name\":\"h\"}")),
        Map.of("X-Key", "v"),
        Map.of("m", "1"),
        false,
        false,
        false);
    before.modifyService("S", new ServiceOverride(0, false, null, null, null, null, 5_000L));
    KafkaMetadata kafkaBefore =
        new KafkaMetadata(
            old.resolve("kafka.json"),
            List.<KafkaCluster>of(),
            before,
            Clock.systemUTC(),
            new Random());
    kafkaBefore.createCluster("kc", Map.of("bootstrap.servers", "b:1"));
    Subscription sub = kafkaBefore.createSubscription("kafka://kc/events", "service://S/h", null);
    Files.copy(old.resolve(SchemaRegistry.FILE), data.resolve(SchemaRegistry.FILE));
    Files.copy(old.resolve("kafka.json"), data.resolve("kafka.json"));
    makeLegacy(data.resolve(SchemaRegistry.FILE));
    makeLegacy(data.resolve("kafka.json"));
    byte[] legacyRegistry = Files.readAllBytes(data.resolve(SchemaRegistry.FILE));

    try (Node n = new Node(data)) {
      assertThat(n.registry.snapshot()).isEqualTo(before.snapshot());
      assertThat(n.kafka.subscriptions()).containsExactly(sub);
      assertThat(n.kafka.cluster("kc")).isPresent();
      assertThat(n.log.appliedLsn()).isEqualTo(2); // one import record per file
      n.registry.register(
          ep("http://b/", svc("T", "SERVICE", "{\"name\":\"h\"}")),
          Map.of(),
          Map.of(),
          false,
          false,
          false);
    }
    assertThat(cacheLsn(data.resolve(SchemaRegistry.FILE))).isEqualTo(3);
    try (Node n = new Node(data)) {
      assertThat(n.log.appliedLsn()).isEqualTo(3); // not imported again
      assertThat(n.registry.service("S").orElseThrow().isPublic()).isFalse();
      assertThat(n.registry.service("T")).isPresent();
      assertThat(n.kafka.subscriptions()).containsExactly(sub);
    }
    // a crash after the import record was durable and before the caches were rewritten: the log
    // holds the import, the legacy file is not imported a second time
    Files.write(data.resolve(SchemaRegistry.FILE), legacyRegistry);
    try (Node n = new Node(data)) {
      assertThat(n.log.appliedLsn()).isEqualTo(3);
      assertThat(n.registry.service("T")).isPresent();
      assertThat(n.registry.deployments()).hasSize(2);
      assertThat(n.kafka.subscriptions()).containsExactly(sub);
    }
  }
}
