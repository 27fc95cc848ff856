package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.KafkaCluster;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.Wait;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Workflows on a cluster (one KRaft broker, three Resolute nodes, six partitions): a workflow's
 * {@code run/send}, its promise resolved through its shared handler, {@code attach} and {@code
 * output}, each step sent through a different node, so that every combination of the node leading
 * the workflow key's partition and the nodes that only forward happens; and a blocking {@code run}
 * through a node that does not lead. The answers are restate-server's, as on one node ({@link
 * InvocationModelIT}).
 */
@Timeout(180)
class ClusterWorkflowIT {
  static final int NODES = 3;
  static final ObjectMapper JSON = new ObjectMapper();
  static KafkaCluster broker;
  static ChildProcess services;
  static final List<ResoluteProcess> nodes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    startCluster("cluster-wf", true);
  }

  /**
   * The broker, the deployment and the nodes, named {@code <name>-…}, with {@code
   * cluster.warm-followers = warm} ({@link ColdClusterWorkflowIT}: false).
   */
  static void startCluster(String name, boolean warm) throws Exception {
    nodes.clear();
    broker = KafkaCluster.create(name, 1).start();
    ClusterHarness.Services s =
        ClusterHarness.startServices(Files.createTempDirectory(name + "-markers"));
    services = s.process();
    for (int i = 1; i <= NODES; i++) {
      nodes.add(
          ClusterHarness.node(
              name + "-n" + i,
              "n" + i,
              i,
              6,
              broker.bootstrapServers(),
              List.of(
                  "topic = \"" + name + "-log\"",
                  "replication-factor = 1",
                  "min-insync-replicas = 1",
                  "warm-followers = " + warm,
                  "session-timeout = \"1500ms\""),
              List.of()));
    }
    ClusterHarness.registerThroughFirstAndStartTheOthers(nodes, s.port(), "Signup");
    Wait.until(
        "every partition led, by every node",
        Duration.ofSeconds(60),
        () -> {
          JsonNode v =
              JSON.readTree(send(nodes.get(0).adminPort(), "GET", "/cluster", null).body());
          int led = 0;
          for (JsonNode m : v.get("nodes")) {
            led += m.get("partitions").size();
            if (m.get("partitions").isEmpty()) {
              return false;
            }
          }
          return v.get("nodes").size() == NODES && led == 6;
        });
  }

  @AfterAll
  static void stop() throws Exception {
    ClusterHarness.stopAll(nodes, services, broker);
    nodes.clear();
    services = null;
    broker = null;
  }

  static HttpResponse<String> send(int port, String method, String path, String body)
      throws IOException, InterruptedException {
    return ClusterHarness.send(port, method, path, body, Duration.ofSeconds(20));
  }

  static int ingress(int node) {
    return nodes.get(node % NODES).ingressPort();
  }

  @Test
  void workflowStepsThroughAnyNodesGiveTheSingleNodesAnswers() throws Exception {
    long t0 = System.nanoTime();
    steps();
    System.out.printf(
        "%s: 12 workflows' steps through every pair of nodes in %d ms%n",
        getClass().getSimpleName(), (System.nanoTime() - t0) / 1_000_000);
  }

  private void steps() throws Exception {
    // 12 workflow ids over 6 partitions; the steps of id i go through nodes i, i+1, i+2
    for (int i = 0; i < 12; i++) {
      String id = "cwf-" + i;
      HttpResponse<String> s = send(ingress(i), "POST", "/Signup/" + id + "/run/send", "\"a\"");
      assertThat(s.statusCode()).as("run/send of %s: %s", id, s.body()).isEqualTo(202);
      String invocation = s.headers().firstValue("x-restate-id").orElseThrow();
      assertThat(s.body())
          .isEqualTo("{\"invocationId\":\"" + invocation + "\",\"status\":\"Accepted\"}");
      assertThat(send(ingress(i + 1), "POST", "/Signup/" + id + "/run/send", "\"a\"").body())
          .isEqualTo("{\"invocationId\":\"" + invocation + "\",\"status\":\"PreviouslyAccepted\"}");
      HttpResponse<String> a = send(ingress(i + 1), "POST", "/Signup/" + id + "/approve", "\"b\"");
      assertThat(a.statusCode()).as("approve of %s: %s", id, a.body()).isEqualTo(200);
      assertThat(a.body()).isEqualTo("\"ok\"");
      HttpResponse<String> at =
          send(ingress(i + 2), "GET", "/restate/workflow/Signup/" + id + "/attach", null);
      assertThat(at.statusCode()).as("attach of %s: %s", id, at.body()).isEqualTo(200);
      assertThat(at.body()).isEqualTo("\"a approved by b\"");
      for (int n = 0; n < NODES; n++) {
        HttpResponse<String> o =
            send(ingress(n), "GET", "/restate/workflow/Signup/" + id + "/output", null);
        assertThat(o.statusCode())
            .as("output of %s through node %d: %s", id, n + 1, o.body())
            .isEqualTo(200);
        assertThat(o.body()).isEqualTo("\"a approved by b\"");
        assertThat(send(ingress(n), "POST", "/Signup/" + id + "/status", null).body())
            .isEqualTo("\"approved\"");
      }
    }
  }

  @Test
  void aBlockingRunAndAnAttachWaitingBeforeTheResultAnswerOnAnyNode() throws Exception {
    for (int i = 0; i < 6; i++) {
      String id = "cwf-block-" + i;
      int node = i;
      var run =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return send(ingress(node), "POST", "/Signup/" + id + "/run", "\"c\"");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Wait.until(
          "the run of " + id + " waiting",
          Duration.ofSeconds(20),
          () ->
              send(ingress(node + 2), "POST", "/Signup/" + id + "/status", null)
                  .body()
                  .equals("\"waiting\""));
      var attach =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return send(
                      ingress(node + 2), "GET", "/restate/workflow/Signup/" + id + "/attach", null);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(200);
      assertThat(send(ingress(node + 1), "POST", "/Signup/" + id + "/approve", "\"d\"").body())
          .isEqualTo("\"ok\"");
      HttpResponse<String> r = run.get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("\"c approved by d\"");
      HttpResponse<String> at = attach.get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(at.statusCode()).as(at.body()).isEqualTo(200);
      assertThat(at.body()).isEqualTo("\"c approved by d\"");
    }
  }
}
