package dev.resolute.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.client.Client;
import dev.resolute.sdk.endpoint.Endpoint;
import dev.resolute.sdk.http.ResoluteHttpServer;
import dev.resolute.testing.BindService;
import dev.resolute.testing.IngressClient;
import dev.resolute.testing.ResoluteAdminEndpointURL;
import dev.resolute.testing.ResoluteClient;
import dev.resolute.testing.internal.Deployments;
import dev.resolute.testsupport.KafkaCluster;
import dev.resolute.testsupport.ResoluteProcess;
import dev.resolute.testsupport.Wait;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * A JUnit 5 extension that runs a test class against a Resolute cluster on Kafka: three KRaft
 * brokers (replication 3, {@code min.insync.replicas} 2), three Resolute nodes as processes on one
 * log topic, the class's {@link BindService} fields served by an SDK endpoint in the test JVM and
 * registered once, through node 1 (the schema registry is replicated metadata: nodes 2 and 3 learn
 * it from the metadata topic).
 *
 * <p>What it injects, so that every node serves ingress and admin calls in the run: a {@link
 * ResoluteClient} {@link Client} sends each request to the next node in turn (test {@code t} starts
 * at node {@code t mod 3}); the raw {@link IngressClient} of test {@code t} talks to node {@code t
 * mod 3} and its {@link ResoluteAdminEndpointURL} is node {@code (t + 1) mod 3}'s admin API. The
 * test instance must be per class (the bound services are created once).
 */
final class ExamplesCluster implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  static final int NODES = 3;
  static final int PARTITIONS = 6;
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ExamplesCluster.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** The running cluster of a test class. */
  static final class Cluster implements ExtensionContext.Store.CloseableResource {
    KafkaCluster kafka;
    ResoluteHttpServer endpoint;
    final List<ResoluteProcess> nodes = new ArrayList<>();
    final List<Client> clients = new ArrayList<>();
    final List<IngressClient> ingress = new ArrayList<>();
    final AtomicInteger tests = new AtomicInteger(-1);

    URI admin(int node) {
      return URI.create(nodes.get(node).adminUrl());
    }

    @Override
    public void close() {
      for (ResoluteProcess n : nodes) {
        n.discard();
      }
      if (endpoint != null) {
        endpoint.close();
      }
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    long t0 = System.nanoTime();
    Object instance = context.getRequiredTestInstance();
    Endpoint.Builder eb = Endpoint.builder();
    boundServices(instance).forEach(eb::bind);
    Cluster c = new Cluster();
    context.getStore(NAMESPACE).put(Cluster.class, c); // closed with the class's context
    c.endpoint = ResoluteHttpServer.start(eb.build(), "127.0.0.1", 0);
    c.kafka = KafkaCluster.create("examples-kafka", 3).start();
    long kafkaReady = System.nanoTime();
    for (int i = 1; i <= NODES; i++) {
      ResoluteProcess n = ResoluteProcess.create("examples-cluster-n" + i);
      Path config = n.workDir().resolve("cluster.toml");
      Files.createDirectories(n.workDir());
      Files.writeString(
          config,
          String.join(
              "\n",
              "node-name = \"n" + i + "\"",
              "default-num-partitions = " + PARTITIONS,
              "[cluster]",
              "node-id = " + i,
              "bootstrap-servers = \"" + c.kafka.bootstrapServers() + "\"",
              "topic = \"examples-log\"",
              "replication-factor = 3",
              "min-insync-replicas = 2",
              // no node fails here: the default session keeps a busy CI machine (seven JVMs on
              // two cores) from moving partitions in the middle of the suite
              "session-timeout = \"6s\"",
              ""));
      n.args("--config-file", config.toString())
          .jvmOptions("-Dlogback.configurationFile=logback-cluster-node.xml");
      c.nodes.add(n);
    }
    // node 1 creates the topics; the others start once the deployment is registered
    c.nodes.get(0).start();
    Deployments.register(c.admin(0), URI.create("http://127.0.0.1:" + c.endpoint.port()), false);
    for (int i = 1; i < NODES; i++) {
      c.nodes.get(i).start();
    }
    for (ResoluteProcess n : c.nodes) {
      Wait.until(
          "the examples registered on " + n.workDir(),
          Duration.ofSeconds(30),
          () -> get(n.ingressPort(), "/restate/health").contains("Greeter"));
      c.clients.add(Client.connect(n.ingressUrl()));
      c.ingress.add(new IngressClient(URI.create(n.ingressUrl())));
    }
    for (int i = 0; i < NODES; i++) {
      ResoluteProcess n = c.nodes.get(i);
      Wait.until(
          "every partition led by a member, as node " + (i + 1) + " applied it",
          Duration.ofSeconds(60),
          () -> {
            JsonNode v = JSON.readTree(get(n.adminPort(), "/cluster"));
            if (v.get("nodes").size() != NODES) {
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
    long end = System.nanoTime();
    System.out.println(
        "[examples-cluster] "
            + context.getRequiredTestClass().getSimpleName()
            + ": 3 Kafka brokers in "
            + (kafkaReady - t0) / 1_000_000
            + " ms, 3 nodes led and registered in "
            + (end - kafkaReady) / 1_000_000
            + " ms; ingress "
            + c.nodes.stream().map(ResoluteProcess::ingressUrl).toList());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    cluster(context).tests.incrementAndGet();
  }

  private static Cluster cluster(ExtensionContext context) {
    Cluster c = context.getStore(NAMESPACE).get(Cluster.class, Cluster.class);
    if (c == null) {
      throw new ExtensionConfigurationException("the examples cluster is not running");
    }
    return c;
  }

  static String get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static List<Object> boundServices(Object instance) throws IllegalAccessException {
    List<Object> out = new ArrayList<>();
    for (Field f :
        AnnotationSupport.findAnnotatedFields(
            instance.getClass(), BindService.class, x -> true, HierarchyTraversalMode.TOP_DOWN)) {
      f.setAccessible(true);
      out.add(f.get(instance));
    }
    return out;
  }

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    Class<?> type = pc.getParameter().getType();
    if (pc.isAnnotated(ResoluteClient.class)) {
      return type == Client.class || type == IngressClient.class;
    }
    if (pc.isAnnotated(ResoluteAdminEndpointURL.class)) {
      return type == URI.class;
    }
    return type == Cluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    Cluster c = cluster(ec);
    int t = Math.max(0, c.tests.get());
    Class<?> type = pc.getParameter().getType();
    if (pc.isAnnotated(ResoluteClient.class)) {
      return type == Client.class ? new RotatingClient(c.clients, t) : c.ingress.get(t % NODES);
    }
    if (pc.isAnnotated(ResoluteAdminEndpointURL.class)) {
      return c.admin((t + 1) % NODES);
    }
    return c;
  }
}
