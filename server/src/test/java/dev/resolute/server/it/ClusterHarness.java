package dev.resolute.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.testsupport.ChildProcess;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.Wait;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the cluster-mode ITs share ({@link ClusterIT}, {@link ClusterWorkflowIT}, {@link
 * ClusterFencingIT}, {@link SnapshotRestoreIT}): the deployment process, a node configured in
 * cluster mode, registering once and waiting for every node to know the services, HTTP with a
 * timeout of the caller's choosing (sent once: the cluster tests retry on another node themselves)
 * and signals to a node's process.
 */
final class ClusterHarness {
  static final ObjectMapper JSON = new ObjectMapper();

  private ClusterHarness() {}

  /** The deployment ({@link TestServices}) in its own process, and the port it bound. */
  record Services(ChildProcess process, int port) {}

  /** Starts {@link TestServices} on a free port, its markers and log in {@code markers}. */
  static Services startServices(Path markers) {
    ChildProcess p =
        ChildProcess.start(
            ChildProcess.javaCommand(
                ChildProcess.testClasspath(),
                List.of(),
                "dev.resolute.server.it.TestServices",
                List.of("0", markers.toString())),
            Map.of(),
            markers.resolve("services.log"));
    int port =
        Integer.parseInt(p.awaitOutput(Harness.SERVICES_READY, Duration.ofSeconds(60)).group(1));
    return new Services(p, port);
  }

  /**
   * A node (not started yet) in cluster mode: {@code node-name = "<nodeName>"}, {@code partitions}
   * partitions, {@code [cluster]} with {@code node-id = id}, the bootstrap servers and {@code
   * clusterLines} ({@code key = value}), then {@code moreLines} (further sections) as given.
   */
  static ResoluteProcess node(
      String processName,
      String nodeName,
      int id,
      int partitions,
      String bootstrapServers,
      List<String> clusterLines,
      List<String> moreLines)
      throws IOException {
    ResoluteProcess n = ResoluteProcess.create(processName);
    Path config = n.workDir().resolve("cluster.toml");
    Files.createDirectories(n.workDir());
    List<String> lines = new ArrayList<>();
    lines.add("node-name = \"" + nodeName + "\"");
    lines.add("default-num-partitions = " + partitions);
    lines.add("[cluster]");
    lines.add("node-id = " + id);
    lines.add("bootstrap-servers = \"" + bootstrapServers + "\"");
    lines.addAll(clusterLines);
    lines.addAll(moreLines);
    Files.writeString(config, String.join("\n", lines) + "\n");
    n.args("--config-file", config.toString());
    return n;
  }

  /**
   * Starts the first node, registers the deployment at {@code servicesPort} through it, starts the
   * others and waits until every node's ingress knows {@code service}: the registry is replicated
   * metadata, the other nodes learn it from the cluster's metadata topic.
   */
  static void registerThroughFirstAndStartTheOthers(
      List<ResoluteProcess> nodes, int servicesPort, String service) throws Exception {
    ResoluteProcess first = nodes.get(0).start();
    HttpResponse<String> r =
        send(
            first.adminPort(),
            "POST",
            "/deployments",
            "{\"uri\":\"http://127.0.0.1:" + servicesPort + "\"}");
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    for (ResoluteProcess n : nodes.subList(1, nodes.size())) {
      n.start();
    }
    for (ResoluteProcess n : nodes) {
      Wait.until(
          service + " registered on " + n.workDir(),
          Duration.ofSeconds(30),
          () ->
              send(n.ingressPort(), "GET", "/restate/health", null, Duration.ofSeconds(10))
                  .body()
                  .contains(service));
    }
  }

  /**
   * Waits until the node at {@code adminPort} sees {@code members} members in the group and a
   * leader applied for every partition ({@code GET /cluster}).
   */
  static void awaitEveryPartitionLed(int adminPort, int members) {
    Wait.until(
        members + " members, every partition led",
        Duration.ofSeconds(60),
        () -> {
          HttpResponse<String> r = send(adminPort, "GET", "/cluster", null, Duration.ofSeconds(10));
          if (r.statusCode() != 200) {
            return false;
          }
          JsonNode v = JSON.readTree(r.body());
          if (v.get("nodes").size() != members) {
            return false;
          }
          for (JsonNode p : v.get("partitions")) {
            if (p.get("leader_node").asInt() == 0) {
              return false;
            }
          }
          return true;
        });
  }

  /** One request with a 30 s timeout. */
  static HttpResponse<String> send(int port, String method, String path, String body)
      throws IOException, InterruptedException {
    return send(port, method, path, body, Duration.ofSeconds(30));
  }

  /**
   * One request, sent once (no retry on a closed connection, unlike {@link Harness#send}: a cluster
   * test decides itself where a request goes again); {@code headers} as name, value pairs.
   */
  static HttpResponse<String> send(
      int port, String method, String path, String body, Duration timeout, String... headers)
      throws IOException, InterruptedException {
    HttpRequest request =
        Harness.request(port, method, path, body, headers).timeout(timeout).build();
    return Harness.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Kills the nodes and the services with SIGKILL, then stops the broker(s); nulls are skipped. */
  static void stopAll(List<ResoluteProcess> nodes, ChildProcess services, AutoCloseable broker)
      throws Exception {
    for (ResoluteProcess n : nodes) {
      n.discard();
    }
    if (services != null) {
      services.kill9();
    }
    if (broker != null) {
      broker.close();
    }
  }

  /** {@code kill -<signal> <pid>}. */
  static void signal(String signal, long pid) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertThat(p.waitFor()).isZero();
  }
}
