package dev.resolute.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(300)
class KafkaBrokerIT {

  @Test
  void aRealBrokerKeepsItsRecordsAcrossAKill9() throws Exception {
    try (KafkaBroker broker = KafkaBroker.create("kafka-it").start()) {
      produce(broker, "a", "b");
      broker.restart();
      produce(broker, "c");
      assertThat(consumeAll(broker, 3)).containsExactly("a", "b", "c");
    }
  }

  private static void produce(KafkaBroker broker, String... values) throws Exception {
    Map<String, Object> config =
        Map.of(
            "bootstrap.servers", broker.bootstrapServers(),
            "acks", "all",
            "key.serializer", StringSerializer.class.getName(),
            "value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      for (String v : values) {
        producer.send(new ProducerRecord<>("events", "k", v)).get();
      }
    }
  }

  private static List<String> consumeAll(KafkaBroker broker, int count) {
    Map<String, Object> config =
        Map.of(
            "bootstrap.servers", broker.bootstrapServers(),
            "group.id", "it",
            "auto.offset.reset", "earliest",
            "key.deserializer", StringDeserializer.class.getName(),
            "value.deserializer", StringDeserializer.class.getName());
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of("events"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (seen.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          seen.add(r.value());
        }
      }
    }
    return seen;
  }
}
