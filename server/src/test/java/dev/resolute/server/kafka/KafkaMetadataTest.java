package dev.resolute.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resolute.server.schema.DeploymentSchema;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.HandlerType;
import dev.resolute.server.schema.SchemaException;
import dev.resolute.server.schema.Schemas;
import dev.resolute.server.schema.ServiceSchema;
import dev.resolute.server.schema.ServiceType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaMetadataTest {
  @TempDir Path dir;

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T18:44:19.073Z"), ZoneOffset.UTC);

  /** One virtual object {@code Counter} with handler {@code add}. */
  static final Schemas SCHEMAS =
      new Schemas() {
        final ServiceSchema counter =
            new ServiceSchema(
                "Counter",
                ServiceType.VIRTUAL_OBJECT,
                1,
                "dp_test",
                true,
                null,
                Map.of(),
                Map.of(
                    "add",
                    new HandlerSchema(
                        "add",
                        HandlerType.EXCLUSIVE,
                        true,
                        null,
                        Map.of(),
                        "application/json",
                        true,
                        null,
                        "application/json",
                        false,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        false,
                        null)),
                null,
                null,
                null,
                null,
                null,
                false,
                null);

        @Override
        public Optional<ServiceSchema> service(String name) {
          return name.equals("Counter") ? Optional.of(counter) : Optional.empty();
        }

        @Override
        public Optional<DeploymentSchema> deployment(String id) {
          return Optional.empty();
        }

        @Override
        public List<ServiceSchema> services() {
          return List.of(counter);
        }

        @Override
        public List<DeploymentSchema> deployments() {
          return List.of();
        }
      };

  KafkaMetadata open(List<KafkaCluster> configured) {
    return new KafkaMetadata(dir.resolve("kafka.json"), configured, SCHEMAS, CLOCK, new Random(1));
  }

  @Test
  void subscriptionsAndClustersSurviveAReopenWithRestateDefaultsFilledIn() throws Exception {
    KafkaMetadata m = open(List.of());
    AtomicInteger changes = new AtomicInteger();
    m.onChange(changes::incrementAndGet);
    KafkaCluster c = m.createCluster("kc", Map.of("bootstrap.servers", "127.0.0.1:9092"));
    assertThat(c.createdAt()).isEqualTo("2026-12-05T18:44:19.073000000Z");
    Subscription s =
        m.createSubscription(
            "kafka://kc/events", "service://Counter/add", Map.of("auto.offset.reset", "earliest"));
    assertThat(s.id()).startsWith("sub_1").hasSize(27);
    assertThat(s.options())
        .containsEntry("group.id", s.id())
        .containsEntry("client.id", "restate")
        .containsEntry("auto.offset.reset", "earliest");
    assertThat(changes).hasValue(2);

    KafkaMetadata again = open(List.of());
    assertThat(again.subscriptions()).containsExactly(s);
    assertThat(again.cluster("kc")).contains(c);
  }

  @Test
  void groupIdComesFromTheOptionsThenTheClusterThenTheSubscriptionId() throws Exception {
    KafkaMetadata m = open(List.of());
    m.createCluster("kc", Map.of("bootstrap.servers", "b:1", "group.id", "cluster-group"));
    assertThat(m.createSubscription("kafka://kc/t", "service://Counter/add", null).groupId())
        .isEqualTo("cluster-group");
    assertThat(
            m.createSubscription("kafka://kc/t", "service://Counter/add", Map.of("group.id", "g"))
                .groupId())
        .isEqualTo("g");
  }

  @Test
  void invalidSubscriptionsAreRefusedWithRestateMessages() throws Exception {
    KafkaMetadata m = open(List.of());
    m.createCluster("kc", Map.of("bootstrap.servers", "b:1"));
    assertThatThrownBy(() -> m.createSubscription("kafka://kc/t", "service://Counter/nope", null))
        .isInstanceOf(SchemaException.class)
        .hasMessage(
            "[META0009] invalid sink URI 'service://Counter/nope': cannot find service/handler"
                + " specified in the sink URI.");
    assertThatThrownBy(() -> m.createSubscription("kafka://other/t", "service://Counter/add", null))
        .hasMessage("Kafka cluster 'other' not found. Available clusters: [\"kc\"]");
    assertThatThrownBy(() -> m.createSubscription("kafka://kc", "service://Counter/add", null))
        .hasMessageContaining("the topic is missing");
    assertThatThrownBy(
            () ->
                m.createSubscription(
                    "kafka://kc/t", "service://Counter/add", Map.of("queued.min.messages", "1")))
        .hasMessageContaining("[queued.min.messages] not supported");
    assertThat(m.subscriptions()).isEmpty();
  }

  @Test
  void configuredClustersAreListedButNotChangedThroughTheApi() throws Exception {
    KafkaCluster conf = KafkaCluster.fromConfig("conf", Map.of("metadata.broker.list", "b:1,c:1"));
    assertThat(conf.createdAt()).isEqualTo("1970-01-01T00:00:00Z");
    KafkaMetadata m = open(List.of(conf));
    assertThat(m.clusters()).containsExactly(conf);
    assertThat(m.info("conf"))
        .containsExactly(
            "This Kafka cluster was configured in the static cluster configuration, this is"
                + " deprecated. Please register it using the new Kafka Admin functionalities.");
    // restate-server 1.7.12's answers, all 409
    assertThatThrownBy(() -> m.createCluster("conf", Map.of("bootstrap.servers", "x:1")))
        .hasMessage(
            "kafka cluster 'conf' conflicts with static configuration. Cluster names in schema"
                + " registry cannot override statically configured clusters.")
        .extracting(e -> ((SchemaException) e).status())
        .isEqualTo(409);
    String cannot =
        "kafka cluster 'conf' cannot be updated, because it was defined in the restate"
            + " configuration file. Update the configuration file directly, or remove the"
            + " configuration file";
    assertThatThrownBy(() -> m.deleteCluster("conf", true)).hasMessage(cannot);
    assertThatThrownBy(() -> m.updateCluster("conf", Map.of("bootstrap.servers", "x:1")))
        .hasMessage(cannot);
    assertThatThrownBy(() -> m.deleteCluster("nope", false))
        .hasMessage("The requested Kafka cluster 'nope' does not exist");
    // a subscription may name it
    assertThat(m.createSubscription("kafka://conf/t", "service://Counter/add", null).cluster())
        .isEqualTo("conf");
  }

  @Test
  void aConfiguredClusterIsShadowedByAnEarlierRegisteredOneOfTheSameName() throws Exception {
    KafkaMetadata first = open(List.of());
    KafkaCluster registered = first.createCluster("kc", Map.of("bootstrap.servers", "r:1"));
    KafkaMetadata m =
        open(List.of(KafkaCluster.fromConfig("kc", Map.of("metadata.broker.list", "c:1"))));
    assertThat(m.clusters()).containsExactly(registered);
    assertThat(m.cluster("kc")).contains(registered);
    assertThat(m.info("kc"))
        .containsExactly(
            "A Kafka cluster with the same name exists in the static cluster configuration,"
                + " please remove it from the static configuration as it's deprecated.");
  }

  @Test
  void aConfiguredClusterWithAPropertyTheClientCannotTakeIsRefused() {
    assertThatThrownBy(
            () ->
                KafkaCluster.fromConfig(
                    "c", Map.of("metadata.broker.list", "b:1", "no.such.property", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no.such.property");
  }

  @Test
  void aClusterWithSubscriptionsIsDeletedOnlyWhenForced() throws Exception {
    KafkaMetadata m = open(List.of());
    m.createCluster("kc", Map.of("bootstrap.servers", "b:1"));
    Subscription s = m.createSubscription("kafka://kc/t", "service://Counter/add", null);
    assertThatThrownBy(() -> m.deleteCluster("kc", false))
        .hasMessage(
            "Removing the kafka cluster 'kc' leads to subscription '"
                + s.id()
                + "' being orphan. Remove the subscription first, or use the 'force' flag.");
    m.deleteCluster("kc", true);
    assertThat(m.clusters()).isEmpty();
    assertThat(m.subscriptions()).containsExactly(s); // orphaned: consumes nothing
  }

  @Test
  void secretsAreRedacted() {
    assertThat(
            KafkaCluster.redactedCopy(
                Map.of(
                    "bootstrap.servers", "b:1",
                    "sasl.username", "u",
                    "sasl.password", "p",
                    "ssl.key.pem", "k")))
        .containsEntry("bootstrap.servers", "b:1")
        .containsEntry("sasl.username", "***")
        .containsEntry("sasl.password", "***")
        .containsEntry("ssl.key.pem", "***");
  }
}
