package dev.resolute.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.client.IngressException;
import dev.resolute.client.SendResponse;
import dev.resolute.common.Target;
import dev.resolute.examples.approval.ExpenseApproval;
import dev.resolute.examples.cart.CartItem;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The examples against a Resolute cluster on Kafka ({@link ExamplesCluster}: three brokers, three
 * nodes): each request goes to the next node in turn, so every node serves ingress and admin calls.
 * Besides the suite, the admin API through every node: the replicated registry, SQL that sees what
 * another node answered, and cancel/kill/purge of invocations whose partitions other nodes lead.
 */
@ExtendWith(ExamplesCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplesOnClusterIT extends ExamplesITBase {
  static final ObjectMapper JSON = new ObjectMapper();

  static HttpResponse<String> admin(
      ExamplesCluster.Cluster c, int node, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(c.nodes.get(node).adminUrl() + path))
            .timeout(Duration.ofSeconds(20))
            .header("accept", "application/json");
    if (body != null) {
      b.header("content-type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return ExamplesCluster.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code POST /query} on {@code node}: the rows. */
  static JsonNode rows(ExamplesCluster.Cluster c, int node, String sql) throws Exception {
    HttpResponse<String> r =
        admin(c, node, "POST", "/query", JSON.writeValueAsString(Map.of("query", sql)));
    assertThat(r.statusCode()).as(sql + " on node " + (node + 1) + " → " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("rows");
  }

  /** What each node knows of the key's invocations and of the cluster, for a failure message. */
  static String views(ExamplesCluster.Cluster c, String key) {
    StringBuilder b = new StringBuilder();
    for (int n = 0; n < ExamplesCluster.NODES; n++) {
      try {
        b.append("\nnode ")
            .append(n + 1)
            .append(": ")
            .append(
                rows(
                    c,
                    n,
                    "SELECT id, status, target_handler_name, created_at FROM sys_invocation"
                        + " WHERE target_service_key = '"
                        + key
                        + "' ORDER BY created_at"))
            .append("\n  cluster ")
            .append(admin(c, n, "GET", "/cluster", null).body());
      } catch (Exception | AssertionError e) {
        b.append("\nnode ").append(n + 1).append(": ").append(e);
      }
      try {
        Path dump = c.nodes.get(n).workDir().resolve("threads.txt");
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                Long.toString(c.nodes.get(n).pid()))
            .redirectErrorStream(true)
            .redirectOutput(dump.toFile())
            .start()
            .waitFor(20, TimeUnit.SECONDS);
        b.append("\n  threads: ").append(dump);
      } catch (Exception e) {
        b.append("\n  no thread dump: ").append(e);
      }
    }
    return b.toString();
  }

  @Test
  void everyNodeServesTheReplicatedRegistry(ExamplesCluster.Cluster c) throws Exception {
    List<String> deployments = new ArrayList<>();
    for (int n = 0; n < ExamplesCluster.NODES; n++) {
      HttpResponse<String> d = admin(c, n, "GET", "/deployments", null);
      assertThat(d.statusCode()).as(d.body()).isEqualTo(200);
      JsonNode list = JSON.readTree(d.body()).get("deployments");
      assertThat(list).as("node %d: %s", n + 1, d.body()).hasSize(1);
      deployments.add(list.get(0).get("id").asText());
      HttpResponse<String> s = admin(c, n, "GET", "/services/ShoppingCart", null);
      assertThat(s.statusCode()).as(s.body()).isEqualTo(200);
      HttpResponse<String> h = admin(c, n, "GET", "/cluster-health", null);
      assertThat(JSON.readTree(h.body()).get("metadata_cluster_health").get("members").toString())
          .isEqualTo("[1,2,3]");
    }
    assertThat(deployments).as("one deployment id on every node").containsOnly(deployments.get(0));
  }

  /**
   * A request answered through one node is seen at once by SQL on the others: the state it wrote
   * and its invocation, completed.
   */
  @Test
  void sqlOnEveryNodeSeesWhatAnotherNodeAnswered(ExamplesCluster.Cluster c) throws Exception {
    String id = unique("cart");
    for (int round = 0; round < Integer.getInteger("examples.cluster.rounds", 6); round++) {
      int through = round % ExamplesCluster.NODES;
      var request =
          dev.resolute.common.Request.of(
              Target.virtualObject("ShoppingCart", id, "add"),
              dev.resolute.serde.TypeTag.of(CartItem.class),
              ITEMS,
              new CartItem("fig", 1));
      Map<String, Integer> response;
      try {
        response = c.clients.get(through).callAsync(request).get(15, TimeUnit.SECONDS).response();
      } catch (TimeoutException e) {
        throw new AssertionError(
            "round " + round + ": no answer through node " + (through + 1) + "; " + views(c, id),
            e);
      }
      assertThat(response).isEqualTo(Map.of("fig", round + 1));
      for (int n = 0; n < ExamplesCluster.NODES; n++) {
        JsonNode state =
            rows(
                c,
                n,
                "SELECT value_utf8 FROM state WHERE service_name = 'ShoppingCart'"
                    + " AND service_key = '"
                    + id
                    + "' AND key = 'items'");
        assertThat(state.toString())
            .as("round %d, add through node %d, SQL on node %d", round, through + 1, n + 1)
            .isEqualTo("[{\"value_utf8\":\"{\\\"fig\\\":" + (round + 1) + "}\"}]");
      }
    }
  }

  /**
   * Invocations waiting on an awakeable, each sent through one node and cancelled, killed or purged
   * through the others; their status through SQL on yet another.
   */
  @Test
  void cancelKillAndPurgeThroughEveryNode(ExamplesCluster.Cluster c) throws Exception {
    for (int n = 0; n < ExamplesCluster.NODES; n++) {
      int other = (n + 1) % ExamplesCluster.NODES;
      int third = (n + 2) % ExamplesCluster.NODES;
      String cancelled = unique("exp-cancel");
      String killed = unique("exp-kill");
      SendResponse<String> a = submitExpense(cancelled, 1_000_00);
      SendResponse<String> b = submitExpense(killed, 1_000_00);
      awaitMail(ExpenseApproval.reviewMailbox(cancelled), ExpenseApproval.REVIEW_PREFIX);
      awaitMail(ExpenseApproval.reviewMailbox(killed), ExpenseApproval.REVIEW_PREFIX);
      HttpResponse<String> cancel =
          admin(c, other, "PATCH", "/invocations/" + a.invocationId() + "/cancel", null);
      assertThat(cancel.statusCode()).as(cancel.body()).isIn(200, 202);
      HttpResponse<String> kill =
          admin(c, third, "PATCH", "/invocations/" + b.invocationId() + "/kill", null);
      assertThat(kill.statusCode()).as(kill.body()).isEqualTo(200);
      // the handler turns the cancellation of its await into an answer; a kill ends it at once
      assertThat(attach(a.invocationId())).startsWith("rejected " + cancelled + ": ");
      Assertions.assertThatThrownBy(() -> attach(b.invocationId()))
          .isInstanceOfSatisfying(
              IngressException.class, e -> assertThat(e.getStatusCode()).isEqualTo(409));
      String status =
          "SELECT id, status FROM sys_invocation WHERE id IN ('"
              + a.invocationId()
              + "', '"
              + b.invocationId()
              + "') ORDER BY id";
      assertThat(rows(c, n, status))
          .allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("completed"))
          .hasSize(2);
      HttpResponse<String> purge =
          admin(c, other, "PATCH", "/invocations/" + a.invocationId() + "/purge", null);
      assertThat(purge.statusCode()).as(purge.body()).isEqualTo(200);
      HttpResponse<String> purge2 =
          admin(c, third, "PATCH", "/invocations/" + b.invocationId() + "/purge", null);
      assertThat(purge2.statusCode()).as(purge2.body()).isEqualTo(200);
      for (int m = 0; m < ExamplesCluster.NODES; m++) {
        assertThat(rows(c, m, status)).as("purged, SQL on node %d", m + 1).isEmpty();
      }
    }
  }

  /**
   * A delayed send through each node runs once its delay passed, on the leader of its partition,
   * and its result is attached to through another node.
   */
  @Test
  void delayedSendsThroughEveryNode(ExamplesCluster.Cluster c) {
    List<SendResponse<String>> sent = new ArrayList<>();
    long start = System.nanoTime();
    for (int n = 0; n < ExamplesCluster.NODES; n++) {
      sent.add(
          c.clients
              .get(n)
              .send(
                  dev.resolute.common.Request.of(
                      Target.service("Greeter", "greet"),
                      dev.resolute.serde.TypeTag.of(String.class),
                      dev.resolute.serde.TypeTag.of(String.class),
                      "Del" + n),
                  Duration.ofMillis(700)));
    }
    for (int n = 0; n < ExamplesCluster.NODES; n++) {
      String out =
          c.clients
              .get((n + 1) % ExamplesCluster.NODES)
              .invocationHandle(sent.get(n).invocationId(), String.class)
              .attach()
              .response();
      assertThat(out).isEqualTo("Hello, Del" + n + "!");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(700));
  }
}
