package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.testsupport.KafkaBroker;
import dev.resolute.testsupport.RestateCli;
import dev.resolute.testsupport.Wait;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kafka subscriptions end to end: a real Apache Kafka broker (test-support {@link KafkaBroker}), a
 * Resolute server and the official Java SDK deployment. Records of one key reach the object handler
 * {@code Counter/append} in offset order and exactly once, across SIGKILLs of the server and a
 * consumer-group rebalance; a deleted subscription stops consuming.
 */
@Timeout(600)
class KafkaSubscriptionIT {
  static final int KEYS = 40;
  static final int RECORDS = 10_000;

  static KafkaBroker broker;
  static Harness h;

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.create("kafka-sub").start();
    h = Harness.resolute("kafka-sub");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("events", 4, (short) 1),
                  new NewTopic("late", 1, (short) 1),
                  new NewTopic("scoped", 1, (short) 1)))
          .all()
          .get();
    }
    HttpResponse<String> c =
        Harness.send(
            h.admin,
            "POST",
            "/kafka-clusters",
            "{\"name\":\"kc\",\"properties\":{\"bootstrap.servers\":\"PLAINTEXT://"
                + broker.bootstrapServers()
                + "\"}}");
    assertThat(c.statusCode()).as(c.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  static String subscribe(String topic, String sink) throws Exception {
    HttpResponse<String> r =
        Harness.send(
            h.admin,
            "POST",
            "/subscriptions",
            "{\"source\":\"kafka://kc/"
                + topic
                + "\",\"sink\":\"service://"
                + sink
                + "\",\"options\":{\"auto.offset.reset\":\"earliest\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().firstValue("location"))
        .get()
        .asString()
        .startsWith("subscriptions/sub_");
    return r.body().replaceAll(".*\"id\":\"(sub_[^\"]+)\".*", "$1");
  }

  static KafkaProducer<String, String> producer() {
    return new KafkaProducer<>(
        Map.of(
            "bootstrap.servers", broker.bootstrapServers(),
            "acks", "all",
            "linger.ms", "5",
            "key.serializer", StringSerializer.class.getName(),
            "value.serializer", StringSerializer.class.getName()));
  }

  /** How many records of {@code key} its log holds. */
  static int consumed(String key) throws Exception {
    String l = log(key);
    return l.startsWith("\"") && l.length() > 2 ? l.split(",").length : 0;
  }

  static String log(String key) throws Exception {
    HttpResponse<String> r = h.call("/Counter/" + key + "/log", null);
    return r.statusCode() == 200 ? r.body() : "<" + r.statusCode() + ">";
  }

  @Test
  void tenThousandKeyedRecordsFoldInOffsetOrderExactlyOnceAcrossKillsAndARebalance()
      throws Exception {
    Map<String, StringJoiner> expected = new HashMap<>();
    try (KafkaProducer<String, String> p = producer()) {
      for (int i = 0; i < RECORDS; i++) {
        String key = "k" + (i % KEYS);
        int n = i / KEYS;
        expected.computeIfAbsent(key, k -> new StringJoiner(",")).add(Integer.toString(n));
        p.send(new ProducerRecord<>("events", key, "\"" + n + "\""));
      }
      p.flush();
    }
    String id = subscribe("events", "Counter/append");

    // three crashes while the records are being consumed: each once consumption has visibly
    // moved on since the previous one (and the records are not all consumed yet)
    int seen = 0;
    for (int kill = 0; kill < 3; kill++) {
      int before = seen;
      seen =
          Wait.forValue(
              "consumption to progress past " + before + " records of k0",
              Duration.ofMinutes(2),
              () -> {
                int n = consumed("k0");
                return n > before ? n : null;
              });
      assertThat(seen).as("killed before the end").isLessThan(RECORDS / KEYS);
      h.restartServer();
    }
    // a second member of the subscription's consumer group takes partitions away for a while
    // (it reads but never commits), then leaves: a rebalance each way
    try (KafkaConsumer<String, String> other =
        new KafkaConsumer<>(
            Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "group.id", id,
                "enable.auto.commit", "false",
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", StringDeserializer.class.getName()))) {
      other.subscribe(List.of("events"));
      long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
      while (System.nanoTime() < until && other.assignment().isEmpty()) {
        other.poll(Duration.ofMillis(200));
      }
      assertThat(other.assignment())
          .as("the rebalance gave the test consumer partitions")
          .isNotEmpty();
      other.poll(Duration.ofMillis(500));
    }

    Wait.until(
        "every key's log to hold all its records",
        Duration.ofMinutes(5),
        () -> {
          for (Map.Entry<String, StringJoiner> e : expected.entrySet()) {
            String want = "\"" + e.getValue() + "\"";
            if (!log(e.getKey()).equals(want)) {
              return false;
            }
          }
          return true;
        });
    for (Map.Entry<String, StringJoiner> e : expected.entrySet()) {
      assertThat(log(e.getKey())).as(e.getKey()).isEqualTo("\"" + e.getValue() + "\"");
    }
  }

  /**
   * A record's {@code x-restate-scope} / {@code x-restate-limit-key} headers (the ones
   * restate-server reads behind its kafka_scope flag) become its invocation's scope and limit key,
   * so the limit rules of that scope apply to it; a record without them stays unscoped.
   */
  @Test
  void aRecordsScopeHeadersScopeItsInvocation() throws Exception {
    subscribe("scoped", "Counter/add");
    try (KafkaProducer<String, String> p = producer()) {
      ProducerRecord<String, String> scoped = new ProducerRecord<>("scoped", "scoped-key", "2");
      scoped.headers().add("x-restate-scope", "tenant1".getBytes(StandardCharsets.UTF_8));
      scoped.headers().add("x-restate-limit-key", "user7".getBytes(StandardCharsets.UTF_8));
      p.send(scoped).get();
      p.send(new ProducerRecord<>("scoped", "unscoped-key", "3")).get();
    }
    Wait.until(
        "both records to be counted",
        Duration.ofSeconds(60),
        () ->
            h.call("/Counter/scoped-key/get", null).body().equals("2")
                && h.call("/Counter/unscoped-key/get", null).body().equals("3"));
    HttpResponse<String> q =
        Harness.send(
            h.admin,
            "POST",
            "/query",
            "{\"query\":\"select target_service_key, scope, limit_key from sys_invocation"
                + " where target_handler_name = 'add' and target_service_key in"
                + " ('scoped-key', 'unscoped-key') order by target_service_key\"}",
            "accept",
            "application/json");
    assertThat(q.statusCode()).as(q.body()).isEqualTo(200);
    assertThat(q.body())
        .contains(
            "{\"target_service_key\":\"scoped-key\",\"scope\":\"tenant1\",\"limit_key\":\"user7\"}",
            // null columns are left out of the JSON rows
            "{\"target_service_key\":\"unscoped-key\"}");
  }

  @Test
  void aDeletedSubscriptionStopsConsuming() throws Exception {
    String id = subscribe("late", "Counter/add");
    try (KafkaProducer<String, String> p = producer()) {
      p.send(new ProducerRecord<>("late", "late-key", "5")).get();
    }
    Wait.until(
        "the first record to be counted",
        Duration.ofSeconds(60),
        () -> h.call("/Counter/late-key/get", null).body().equals("5"));
    HttpResponse<String> del = Harness.send(h.admin, "DELETE", "/subscriptions/" + id, null);
    assertThat(del.statusCode()).isEqualTo(202);
    assertThat(Harness.send(h.admin, "GET", "/subscriptions/" + id, null).statusCode())
        .isEqualTo(404);
    try (KafkaProducer<String, String> p = producer()) {
      p.send(new ProducerRecord<>("late", "late-key", "7")).get();
    }
    Thread.sleep(3000);
    assertThat(h.call("/Counter/late-key/get", null).body()).isEqualTo("5");
  }

  @Test
  void subscriptionsAndClustersAnswerAsRestateServerDoes() throws Exception {
    List<String[]> cases = new ArrayList<>();
    cases.add(
        new String[] {
          "{\"source\":\"kafka://nope/t\",\"sink\":\"service://Counter/add\"}",
          "400",
          "Kafka cluster 'nope' not found. Available clusters: [\\\"kc\\\"]"
        });
    cases.add(
        new String[] {
          "{\"source\":\"http://kc/t\",\"sink\":\"service://Counter/add\"}",
          "400",
          "[META0009] invalid source URI 'http://kc/t': must have a scheme segment, with supported schemes: [kafka]."
        });
    cases.add(
        new String[] {
          "{\"source\":\"kafka://kc/t\",\"sink\":\"service://Nope/add\"}",
          "400",
          "[META0009] invalid sink URI 'service://Nope/add': cannot find service/handler specified in the sink URI."
        });
    cases.add(
        new String[] {"{\"sink\":\"service://Counter/add\"}", "422", "missing field `source`"});
    cases.add(
        new String[] {
          "{\"source\":\"kafka://kc/t\",\"sink\":\"service://Counter/add\",\"options\":{\"no.such.property\":\"1\"}}",
          "400",
          "no.such.property"
        });
    for (String[] c : cases) {
      HttpResponse<String> r = Harness.send(h.admin, "POST", "/subscriptions", c[0]);
      assertThat(r.statusCode()).as(c[0] + " → " + r.body()).isEqualTo(Integer.parseInt(c[1]));
      assertThat(r.body()).as(c[0]).contains(c[2]);
    }
    HttpResponse<String> dup =
        Harness.send(
            h.admin,
            "POST",
            "/kafka-clusters",
            "{\"name\":\"kc\",\"properties\":{\"bootstrap.servers\":\"x:1\"}}");
    assertThat(dup.statusCode()).isEqualTo(409);
    HttpResponse<String> noBrokers =
        Harness.send(h.admin, "POST", "/kafka-clusters", "{\"name\":\"c2\",\"properties\":{}}");
    assertThat(noBrokers.statusCode()).isEqualTo(400);
    assertThat(noBrokers.body())
        .contains("must contain either 'bootstrap.servers' or 'metadata.broker.list'");
    HttpResponse<String> secret =
        Harness.send(
            h.admin,
            "POST",
            "/kafka-clusters",
            "{\"name\":\"c3\",\"properties\":{\"bootstrap.servers\":\"x:1\",\"sasl.username\":\"u\","
                + "\"sasl.password\":\"p\",\"security.protocol\":\"SASL_PLAINTEXT\","
                + "\"sasl.mechanisms\":\"PLAIN\"}}");
    assertThat(secret.statusCode()).as(secret.body()).isEqualTo(201);
    assertThat(secret.body()).contains("\"sasl.password\":\"***\"").doesNotContain("\"p\"");
    String orphan = subscribe("t3", "Counter/add"); // on kc
    assertThat(Harness.send(h.admin, "DELETE", "/kafka-clusters/kc", null).statusCode())
        .isEqualTo(409);
    assertThat(Harness.send(h.admin, "DELETE", "/subscriptions/" + orphan, null).statusCode())
        .isEqualTo(202);
    assertThat(Harness.send(h.admin, "DELETE", "/kafka-clusters/c3", null).statusCode())
        .isEqualTo(202);
    assertThat(Harness.send(h.admin, "GET", "/kafka-clusters/c3", null).statusCode())
        .isEqualTo(404);
    assertThat(Harness.send(h.admin, "GET", "/subscriptions/sub_abc", null).body())
        .isEqualTo(
            "Invalid URL: Cannot parse `subscription` with value `sub_abc`: unrecognized codec version");
  }

  @Test
  void theOfficialCliManagesClustersAndSubscriptions() throws Exception {
    RestateCli cli = RestateCli.against(h.server);
    cli.run(
            "--yes",
            "kafka-clusters",
            "create",
            "clic",
            "bootstrap.servers=" + broker.bootstrapServers(),
            "sasl.username=cli-user",
            "sasl.password=hidden")
        .assertOk();
    String clusters = cli.run("kafka-clusters", "list").assertOk().stdout();
    assertThat(clusters).contains("clic").contains(broker.bootstrapServers());
    String described = cli.run("kafka-clusters", "describe", "clic").assertOk().stdout();
    assertThat(described).contains("bootstrap.servers").contains("***").doesNotContain("hidden");
    cli.run(
            "--yes",
            "kafka-clusters",
            "patch",
            "clic",
            "--set",
            "client.id=cli-client",
            "--set",
            "sasl.username=cli-user",
            "--set",
            "sasl.password=hidden")
        .assertOk();
    assertThat(cli.run("kafka-clusters", "describe", "clic").assertOk().stdout())
        .contains("cli-client");

    cli.run(
            "--yes",
            "subscriptions",
            "create",
            "kafka://clic/cli-topic",
            "service://Counter/add",
            "auto.offset.reset=earliest")
        .assertOk();
    String subs = cli.run("subscriptions", "list").assertOk().stdout();
    assertThat(subs).contains("kafka://clic/cli-topic").contains("service://Counter/add");
    String id = subs.replaceAll("(?s).*(sub_[0-9A-Za-z]{23})\\s+kafka://clic/cli-topic.*", "$1");
    assertThat(id).startsWith("sub_").hasSize(27);
    assertThat(cli.run("subscriptions", "describe", id).assertOk().stdout())
        .contains("auto.offset.reset")
        .contains("earliest");
    try (KafkaProducer<String, String> p = producer()) {
      p.send(new ProducerRecord<>("cli-topic", "cli-key", "3")).get();
    }
    Wait.until(
        "the CLI's subscription to deliver",
        Duration.ofSeconds(60),
        () -> h.call("/Counter/cli-key/get", null).body().equals("3"));
    cli.run("--yes", "subscriptions", "delete", id).assertOk();
    assertThat(cli.run("subscriptions", "list").assertOk().stdout()).doesNotContain(id);
    cli.run("--yes", "kafka-clusters", "delete", "clic").assertOk();
    assertThat(cli.run("kafka-clusters", "list").assertOk().stdout()).doesNotContain("clic");
  }
}
