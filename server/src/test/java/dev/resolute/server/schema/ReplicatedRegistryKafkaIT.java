package dev.resolute.server.schema;

import static dev.resolute.server.schema.SchemaRegistryTest.ep;
import static dev.resolute.server.schema.SchemaRegistryTest.svc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.kafka.KafkaCluster;
import dev.resolute.server.kafka.KafkaMetadata;
import dev.resolute.server.kafka.Subscription;
import dev.resolute.server.log.KafkaLog;
import dev.resolute.server.log.KafkaLogOptions;
import dev.resolute.testsupport.KafkaBroker;
import dev.resolute.testsupport.Wait;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes' registries on one metadata topic of a real Kafka broker (KRaft, one node), as cluster
 * nodes keep them: a deployment registered through one is visible in the other, conflicting changes
 * appended at the same time resolve identically on both, and a node restarted from its caches
 * follows the topic from where they end.
 */
class ReplicatedRegistryKafkaIT {
  static KafkaBroker broker;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.create("metadata-log").start();
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  /** A cluster node's metadata on the metadata topic, its caches in {@code cacheDir}. */
  static final class Node implements AutoCloseable {
    final MetadataLog log;
    final SchemaRegistry registry;
    final KafkaMetadata kafka;

    Node(String topic, String name, Path cacheDir) {
      log =
          MetadataLog.on(
              KafkaLog.open(KafkaLogOptions.singleBroker(broker.bootstrapServers(), topic), 1),
              null,
              name);
      registry =
          SchemaRegistry.replicated(
              log, cacheDir, SchemaRegistry.Defaults.RESTATE, Clock.systemUTC());
      kafka =
          new KafkaMetadata(
              log,
              cacheDir.resolve("kafka.json"),
              List.of(KafkaCluster.fromConfig("kc", Map.of("bootstrap.servers", "b:1"))),
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

  static void sameState(Node a, Node b) {
    Wait.until(
        "both nodes applied the same records",
        Duration.ofSeconds(30),
        () -> a.log.appliedLsn() == b.log.appliedLsn());
    assertThat(b.registry.snapshot()).isEqualTo(a.registry.snapshot());
    assertThat(b.kafka.subscriptions()).isEqualTo(a.kafka.subscriptions());
  }

  @Test
  void twoNodesOnOneMetadataTopic(@TempDir Path dirA, @TempDir Path dirB) throws Exception {
    String topic = "metadata";
    try (Node a = new Node(topic, "a", dirA);
        Node b = new Node(topic, "b", dirB)) {
      // answered once applied on the node that appended; the other follows the topic
      SchemaRegistry.RegistrationResult r =
          a.registry.register(
              ep("http://a/", svc("S", "VIRTUAL_OBJECT", "{\"name\":\"h\"}")),
              Map.of(),
              Map.of(),
              false,
              false,
              false);
      assertThat(a.registry.deployment(r.deployment().id())).isPresent();
      Wait.until(
          "node b sees the deployment",
          Duration.ofSeconds(30),
          () -> b.registry.deployment(r.deployment().id()).isPresent());
      Subscription sub = b.kafka.createSubscription("kafka://kc/events", "service://S/h", null);
      sameState(a, b);
      assertThat(a.kafka.subscriptions()).containsExactly(sub);

      // S registered as another type on both nodes at once: one wins, the other is refused
      // (409), and both nodes agree which
      for (int round = 0; round < 5; round++) {
        String name = "C" + round;
        CompletableFuture<SchemaRegistry.RegistrationResult> fromA =
            a.registry.registerAsync(
                ep("http://a" + round + "/", svc(name, "SERVICE", "{\"name\":\"h\"}")),
                Map.of(),
                Map.of(),
                false,
                false);
        CompletableFuture<SchemaRegistry.RegistrationResult> fromB =
            b.registry.registerAsync(
                ep("http://b" + round + "/", svc(name, "VIRTUAL_OBJECT", "{\"name\":\"h\"}")),
                Map.of(),
                Map.of(),
                false,
                false);
        boolean aWon = outcome(fromA);
        boolean bWon = outcome(fromB);
        assertThat(aWon ^ bWon).as("exactly one of the two registrations of %s", name).isTrue();
        sameState(a, b);
        assertThat(a.registry.service(name).orElseThrow().type())
            .isEqualTo(aWon ? ServiceType.SERVICE : ServiceType.VIRTUAL_OBJECT);
      }
    }
    // node b restarts from its caches, then follows the topic from there
    try (Node a = new Node(topic, "a", dirA);
        Node b = new Node(topic, "b", dirB)) {
      sameState(a, b);
      a.registry.removeDeployment(a.registry.service("S").orElseThrow().deploymentId());
      Wait.until(
          "node b sees the removal",
          Duration.ofSeconds(30),
          () -> b.registry.service("S").isEmpty());
      sameState(a, b);
    }
  }

  /** True when the registration was taken, false when refused with 409 META0006. */
  static boolean outcome(CompletableFuture<SchemaRegistry.RegistrationResult> f) throws Exception {
    try {
      f.get(60, TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
      assertThat(cause).isInstanceOf(SchemaException.class);
      assertThat(((SchemaException) cause).status()).isEqualTo(409);
      return false;
    }
  }
}
