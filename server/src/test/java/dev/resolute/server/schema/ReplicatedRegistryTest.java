package dev.resolute.server.schema;

import static dev.resolute.server.schema.SchemaRegistryTest.ep;
import static dev.resolute.server.schema.SchemaRegistryTest.svc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.kafka.KafkaCluster;
import dev.resolute.server.kafka.KafkaMetadata;
import dev.resolute.server.kafka.Subscription;
import dev.resolute.server.log.MemoryLog;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Two or three nodes sharing one metadata log (a {@link MemoryLog} of one partition, as nodes share
 * a Kafka topic): what one registers the others see, and conflicting changes appended concurrently
 * resolve the same way on every node, by log order.
 */
class ReplicatedRegistryTest {
  static final KafkaCluster CLUSTER =
      KafkaCluster.fromConfig("kc", Map.of("bootstrap.servers", "b:1"));

  final MemoryLog shared = new MemoryLog(1);

  /** A node: its view of the shared log, its metadata log, registry and Kafka metadata. */
  final class Node {
    final MemoryLog.View view;
    final SchemaRegistry registry;
    final KafkaMetadata kafka;

    Node(int id) {
      view = shared.view(id);
      MetadataLog log = MetadataLog.on(view, shared::lastLsn, "node-" + id);
      registry =
          SchemaRegistry.replicated(log, null, SchemaRegistry.Defaults.RESTATE, Clock.systemUTC());
      kafka =
          new KafkaMetadata(
              log, null, List.of(CLUSTER), registry, Clock.systemUTC(), new Random(id));
      log.start();
    }

    void catchUp() {
      view.deliver(Integer.MAX_VALUE);
    }
  }

  /** Commits node {@code id}'s pending appends (in its append order). */
  void commit(Node n) {
    shared.commit(new MemoryLog.Channel(n.view.node(), 0), Integer.MAX_VALUE);
  }

  static SchemaException refusal(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
      throw new AssertionError("not refused");
    } catch (CompletionException e) {
      return (SchemaException) e.getCause();
    }
  }

  @Test
  void aDeploymentRegisteredThroughOneNodeIsVisibleInTheOther() throws Exception {
    Node a = new Node(0);
    Node b = new Node(1);
    CompletableFuture<SchemaRegistry.RegistrationResult> reg =
        a.registry.registerAsync(
            ep("http://a/", svc("S", "SERVICE", "{\"name\":\"h\"}")),
            Map.of("X-Key", "v"),
            Map.of("m", "1"),
            false,
            false);
    commit(a);
    // the request is answered only once its record came back through the log and was applied
    assertThat(reg).isNotDone();
    assertThat(a.registry.service("S")).isEmpty();
    a.catchUp();
    assertThat(reg).isCompleted();
    String id = reg.join().deployment().id();
    assertThat(reg.join().created()).isTrue();
    assertThat(b.registry.deployment(id)).isEmpty();
    b.catchUp();
    assertThat(b.registry.deployment(id)).contains(a.registry.deployment(id).orElseThrow());
    assertThat(b.registry.service("S").orElseThrow().handler("h")).isNotNull();
    assertThat(b.registry.snapshot()).isEqualTo(a.registry.snapshot());

    // a change made through b reaches a; a node started later replays the whole log
    b.registry.modifyServiceAsync(
        "S", new ServiceOverride(0, false, 60_000L, null, null, null, null));
    commit(b);
    b.catchUp();
    a.catchUp();
    assertThat(a.registry.service("S").orElseThrow().isPublic()).isFalse();
    Node c = new Node(2);
    assertThat(c.registry.snapshot()).isEqualTo(a.registry.snapshot());
    assertThat(b.registry.snapshot()).isEqualTo(a.registry.snapshot());
  }

  @Test
  void conflictingConcurrentRegistrationsResolveIdenticallyByLogOrder() throws Exception {
    Node a = new Node(0);
    Node b = new Node(1);
    // both see an empty registry when they propose: S as a service on a, as an object on b
    CompletableFuture<SchemaRegistry.RegistrationResult> fromA =
        a.registry.registerAsync(
            ep("http://a/", svc("S", "SERVICE", "{\"name\":\"h\"}")),
            Map.of(),
            Map.of(),
            false,
            false);
    CompletableFuture<SchemaRegistry.RegistrationResult> fromB =
        b.registry.registerAsync(
            ep("http://b/", svc("S", "VIRTUAL_OBJECT", "{\"name\":\"h\"}")),
            Map.of(),
            Map.of(),
            false,
            false);
    commit(b); // b's record first
    commit(a);
    a.catchUp();
    b.catchUp();
    assertThat(fromB.join().created()).isTrue();
    SchemaException refused = refusal(fromA);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.restateCode()).isEqualTo("META0006");
    assertThat(a.registry.service("S").orElseThrow().type()).isEqualTo(ServiceType.VIRTUAL_OBJECT);
    assertThat(a.registry.deployments()).hasSize(1);
    assertThat(b.registry.snapshot()).isEqualTo(a.registry.snapshot());

    // the same URI registered on both at once: one deployment, the second answered with it
    CompletableFuture<SchemaRegistry.RegistrationResult> c1 =
        a.registry.registerAsync(
            ep("http://c/", svc("T", "SERVICE", "{\"name\":\"h\"}")),
            Map.of(),
            Map.of(),
            false,
            false);
    CompletableFuture<SchemaRegistry.RegistrationResult> c2 =
        b.registry.registerAsync(
            ep("http://c/", svc("T", "SERVICE", "{\"name\":\"h\"}")),
            Map.of(),
            Map.of(),
            false,
            false);
    commit(a);
    commit(b);
    b.catchUp();
    a.catchUp();
    assertThat(c1.join().created()).isTrue();
    assertThat(c2.join().created()).isFalse();
    assertThat(c2.join().deployment()).isEqualTo(c1.join().deployment());
    assertThat(a.registry.service("T").orElseThrow().revision()).isEqualTo(1);
    assertThat(b.registry.snapshot()).isEqualTo(a.registry.snapshot());
  }

  @Test
  void aSubscriptionRacingTheRemovalOfItsSinkIsRefusedOnEveryNode() throws Exception {
    Node a = new Node(0);
    Node b = new Node(1);
    CompletableFuture<SchemaRegistry.RegistrationResult> reg =
        a.registry.registerAsync(
            ep("http://a/", svc("S", "VIRTUAL_OBJECT", "{\"name\":\"h\"}")),
            Map.of(),
            Map.of(),
            false,
            false);
    commit(a);
    a.catchUp();
    b.catchUp();
    String id = reg.join().deployment().id();
    // b subscribes while a removes the sink's deployment; the removal is appended first
    CompletableFuture<Object> removed = a.registry.removeDeploymentAsync(id);
    CompletableFuture<Subscription> sub =
        b.kafka.createSubscriptionAsync("kafka://kc/events", "service://S/h", null);
    commit(a);
    commit(b);
    b.catchUp();
    a.catchUp();
    assertThat(removed).isCompleted();
    SchemaException refused = refusal(sub);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.restateCode()).isEqualTo("META0009");
    assertThat(a.kafka.subscriptions()).isEmpty();
    assertThat(b.kafka.subscriptions()).isEmpty();

    // in the other order the subscription is taken, on both nodes
    CompletableFuture<SchemaRegistry.RegistrationResult> again =
        a.registry.registerAsync(
            ep("http://a/", svc("S", "VIRTUAL_OBJECT", "{\"name\":\"h\"}")),
            Map.of(),
            Map.of(),
            false,
            false);
    commit(a);
    a.catchUp();
    b.catchUp();
    CompletableFuture<Subscription> sub2 =
        b.kafka.createSubscriptionAsync("kafka://kc/events", "service://S/h", null);
    CompletableFuture<Object> removed2 =
        a.registry.removeDeploymentAsync(again.join().deployment().id());
    commit(b);
    commit(a);
    a.catchUp();
    b.catchUp();
    assertThat(removed2).isCompleted();
    assertThat(a.kafka.subscriptions()).containsExactly(sub2.join());
    assertThat(b.kafka.subscriptions()).containsExactly(sub2.join());
  }

  @Test
  void aChangeLostBeforeItsCommitIsAppliedNowhere() throws Exception {
    Node a = new Node(0);
    Node b = new Node(1);
    CompletableFuture<SchemaRegistry.RegistrationResult> reg =
        a.registry.registerAsync(
            ep("http://a/", svc("S", "SERVICE", "{\"name\":\"h\"}")),
            Map.of(),
            Map.of(),
            false,
            false);
    a.view.crash(); // the node died before its append was committed
    assertThat(shared.lastLsn()).isZero();
    b.catchUp();
    assertThat(reg).isNotDone();
    assertThat(b.registry.deployments()).isEmpty();
    assertThat(a.registry.deployments()).isEmpty();
  }
}
