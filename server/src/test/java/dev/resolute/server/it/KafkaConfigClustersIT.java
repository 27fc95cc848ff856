package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.RestateServerProcess;
import dev.resolute.testsupport.ServerProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kafka clusters declared in the configuration file ({@code [[ingress.kafka-clusters]]}) on
 * Resolute and on the real restate-server 1.7.12, started with the same file: the admin API lists
 * and shows them the same way (properties with {@code metadata.broker.list} and secrets redacted,
 * created at the epoch, the deprecation note), refuses to change, delete or shadow them with the
 * same statuses and messages, and accepts a subscription on them. No broker runs: nothing here
 * connects to one.
 */
@Timeout(180)
class KafkaConfigClustersIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String CONFIG =
      """
      [[ingress.kafka-clusters]]
      name = "static"
      brokers = ["127.0.0.1:1", "127.0.0.1:2"]
      "sasl.username" = "user"
      "sasl.password" = "secret"
      "client.id" = "from-config"
      """;

  @Test
  void bothServersAnswerTheSameAboutConfiguredClusters() throws Exception {
    List<String> resolute = transcript(ResoluteProcess.create("kafka-config"));
    List<String> restate = transcript(RestateServerProcess.create("kafka-config-ref"));
    assertThat(resolute).isEqualTo(restate);
    // and what they agree on is what the configuration says
    assertThat(String.join("\n", resolute))
        .contains(
            "\"metadata.broker.list\":\"127.0.0.1:1,127.0.0.1:2\"",
            "\"sasl.password\":\"***\"",
            "1970-01-01T00:00:00Z",
            "configured in the static cluster configuration");
  }

  private static List<String> transcript(ServerProcess server) throws Exception {
    Path config = server.workDir().resolve("server.toml");
    Files.createDirectories(config.getParent());
    Files.writeString(config, CONFIG);
    List<String> out = new ArrayList<>();
    try (ServerProcess s = server.env(Map.of("RESTATE_CONFIG", config.toString())).start()) {
      int admin = s.adminPort();
      out.add(line("list", Harness.get(admin, "/kafka-clusters")));
      out.add(line("get", Harness.get(admin, "/kafka-clusters/static")));
      out.add(
          line(
              "get with subscriptions",
              Harness.get(admin, "/kafka-clusters/static?include_subscriptions=true")));
      out.add(line("delete", Harness.send(admin, "DELETE", "/kafka-clusters/static", null)));
      out.add(
          line(
              "update",
              Harness.send(
                  admin,
                  "PATCH",
                  "/kafka-clusters/static",
                  "{\"properties\":{\"bootstrap.servers\":\"127.0.0.1:3\"}}")));
      out.add(
          line(
              "create same name",
              Harness.send(
                  admin,
                  "POST",
                  "/kafka-clusters",
                  "{\"name\":\"static\",\"properties\":{\"bootstrap.servers\":\"127.0.0.1:3\"}}")));
      HttpResponse<String> sub =
          Harness.send(
              admin,
              "POST",
              "/subscriptions",
              "{\"source\":\"kafka://static/events\",\"sink\":\"service://Nowhere/handle\"}");
      // no service is registered on either server: both refuse the sink the same way
      out.add(line("subscription", sub));
      out.add(line("list after", Harness.get(admin, "/kafka-clusters")));
    }
    return out;
  }

  /** Status and body; JSON objects compared without regard to field order. */
  private static String line(String label, HttpResponse<String> r) throws Exception {
    String body = r.body();
    if (body != null && body.startsWith("{")) {
      JsonNode tree = JSON.readTree(body);
      body = sorted(tree).toString();
    }
    return label + ": " + r.statusCode() + " " + body;
  }

  private static JsonNode sorted(JsonNode n) {
    if (n.isObject()) {
      com.fasterxml.jackson.databind.node.ObjectNode o = JSON.createObjectNode();
      List<String> names = new ArrayList<>();
      n.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      for (String name : names) {
        o.set(name, sorted(n.get(name)));
      }
      return o;
    }
    if (n.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode a = JSON.createArrayNode();
      n.forEach(e -> a.add(sorted(e)));
      return a;
    }
    return n;
  }
}
