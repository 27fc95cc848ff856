package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.testsupport.KafkaBroker;
import dev.resolute.testsupport.Wait;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One topic consumed by the real restate-server 1.7.12 and by Resolute, each through its own
 * subscription to the same object handler of the same official Java SDK deployment ({@link
 * KafkaRecorder}): every key's handler sees the same bodies, in the same order, with the same
 * headers ({@code kafka.offset}, {@code kafka.partition}, {@code kafka.timestamp}, {@code
 * kafka.topic}, {@code kafka.key}) — only {@code restate.subscription.id} differs, by its value
 * (each server made its own subscription), not by its presence or shape. Keyed records, a record
 * with Kafka headers of its own (not passed on by either), and a record without a key (the empty
 * object key on both).
 */
@Timeout(240)
class KafkaComparisonIT {
  static KafkaBroker broker;
  static Harness resolute;
  static Harness restate;

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.create("kafka-cmp").start();
    resolute = Harness.resolute("kafka-cmp");
    restate = Harness.restate(resolute);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("cmp", 3, (short) 1))).all().get();
    }
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {restate, resolute, broker}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // closing the others matters more
        }
      }
    }
  }

  private static String subscribe(Harness h) throws Exception {
    HttpResponse<String> c =
        Harness.send(
            h.admin,
            "POST",
            "/kafka-clusters",
            "{\"name\":\"kc\",\"properties\":{\"bootstrap.servers\":\"PLAINTEXT://"
                + broker.bootstrapServers()
                + "\"}}");
    assertThat(c.statusCode()).as(c.body()).isEqualTo(201);
    HttpResponse<String> r =
        Harness.send(
            h.admin,
            "POST",
            "/subscriptions",
            "{\"source\":\"kafka://kc/cmp\",\"sink\":\"service://KafkaRecorder/record\","
                + "\"options\":{\"auto.offset.reset\":\"earliest\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return r.body().replaceAll(".*\"id\":\"(sub_[^\"]+)\".*", "$1");
  }

  @Test
  void bothServersPassTheSameRecordsWithTheSameHeaders() throws Exception {
    String resoluteSub = subscribe(resolute);
    String restateSub = subscribe(restate);
    List<String> keys = List.of("alpha", "beta", "gamma", "");
    Map<String, Integer> expected = new LinkedHashMap<>();
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(
            Map.of(
                "bootstrap.servers", broker.bootstrapServers(),
                "acks", "all",
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", StringSerializer.class.getName()))) {
      for (int i = 0; i < 30; i++) {
        String key = keys.get(i % 3);
        ProducerRecord<String, String> rec =
            new ProducerRecord<>("cmp", key, "\"" + key + "-" + i + "\"");
        if (i == 4) {
          rec.headers().add("own-header", "x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        p.send(rec);
        expected.merge(key, 1, Integer::sum);
      }
      p.send(new ProducerRecord<>("cmp", null, "\"no key\""));
      expected.merge("", 1, Integer::sum);
      p.flush();
    }
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      String onResolute = seenWhenComplete(resolute, e.getKey(), e.getValue());
      String onRestate = seenWhenComplete(restate, e.getKey(), e.getValue());
      assertThat(onResolute.replace(resoluteSub, "SUB"))
          .as("key '%s'", e.getKey())
          .isEqualTo(onRestate.replace(restateSub, "SUB"));
      assertThat(onResolute)
          .contains(
              "kafka.offset=",
              "kafka.partition=",
              "kafka.timestamp=",
              "kafka.topic=cmp",
              "restate.subscription.id=" + resoluteSub)
          .doesNotContain("own-header");
    }
    // SQL: both say who created the invocations
    String q =
        "{\"query\":\"SELECT invoked_by, invoked_by_subscription_id, invoked_by_id FROM"
            + " sys_invocation WHERE target_service_name = 'KafkaRecorder' AND target_handler_name"
            + " = 'record' LIMIT 1\"}";
    HttpResponse<String> a =
        Harness.send(resolute.admin, "POST", "/query", q, "accept", "application/json");
    HttpResponse<String> b =
        Harness.send(restate.admin, "POST", "/query", q, "accept", "application/json");
    assertThat(a.statusCode()).as(a.body()).isEqualTo(200);
    assertThat(a.body().replace(resoluteSub, "SUB"))
        .isEqualTo(b.body().replace(restateSub, "SUB"))
        .contains("\"invoked_by\":\"subscription\"", "SUB");
  }

  /** The key's lines once it has {@code n} of them (both servers consume concurrently). */
  private static String seenWhenComplete(Harness h, String key, int n) {
    return Wait.forValue(
        "key '" + key + "' to have " + n + " records on " + (h.reference ? "restate" : "resolute"),
        Duration.ofSeconds(90),
        () -> {
          HttpResponse<String> r = h.call("/KafkaRecorder/" + key + "/seen", null);
          if (r.statusCode() != 200) {
            return null;
          }
          String body =
              new com.fasterxml.jackson.databind.ObjectMapper().readValue(r.body(), String.class);
          return body.isEmpty() || body.split("\n").length < n ? null : body;
        });
  }
}
