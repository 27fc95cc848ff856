package dev.resolute.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.Dispatcher;
import dev.resolute.server.discovery.DiscoveryClient;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.testsupport.RestateServerProcess;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our admin route table against restate-server 1.7.12's own {@code GET /openapi}: every operation
 * it lists is answered here, except those that belong to later issues (listed below), and we answer
 * nothing it does not list besides {@code /openapi} itself and the UI redirects. Our own {@code GET
 * /openapi} lists exactly our operations.
 */
@Timeout(120)
class AdminRoutesIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** restate-server operations that later issues bring: subscriptions, Kafka, limits, vqueues. */
  static final Set<String> LATER =
      Set.of(
          // SQL introspection: the `sql` work (issue 12 part 1)
          "POST /query",
          // Kafka subscriptions and clusters
          "GET /subscriptions",
          "POST /subscriptions",
          "GET /subscriptions/{subscription}",
          "DELETE /subscriptions/{subscription}",
          "GET /kafka-clusters",
          "POST /kafka-clusters",
          "GET /kafka-clusters/{cluster_name}",
          "DELETE /kafka-clusters/{cluster_name}",
          "PATCH /kafka-clusters/{cluster_name}",
          // limits and their rules
          "PUT /limits/rules",
          "POST /limits/rules/bulk-delete",
          // virtual queues
          "POST /vqueues/{vqueue_id}/pause",
          "POST /vqueues/{vqueue_id}/resume");

  /**
   * Ours that restate-server's document does not list (it serves them all the same: the UI
   * redirects, the document itself, the deprecated PUT of a deployment that answers 405).
   */
  static final Set<String> UNLISTED =
      Set.of("GET /", "GET /ui", "GET /openapi", "PUT /deployments/{deployment}");

  @Test
  void ourRoutesAreRestateServersMinusTheLaterOnes() throws Exception {
    Set<String> theirs;
    try (RestateServerProcess restate = RestateServerProcess.create("routes")) {
      restate.start();
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(restate.adminUrl() + "/openapi")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      theirs = operations(JSON.readTree(r.body()));
    }
    Set<String> ours = new TreeSet<>();
    for (RouteTable.Operation op : api().operations()) {
      ours.add(op.method() + " " + AdminOpenApi.canonicalPath(op.path()));
    }
    Set<String> missing = new TreeSet<>(theirs);
    missing.removeAll(ours);
    missing.removeAll(LATER);
    Set<String> extra = new TreeSet<>(ours);
    extra.removeAll(theirs);
    extra.removeAll(UNLISTED);
    assertThat(missing).as("restate-server operations we do not answer").isEmpty();
    assertThat(extra).as("operations restate-server does not have").isEmpty();
    assertThat(theirs).as("later operations still in restate-server's document").containsAll(LATER);
    assertThat(ours)
        .as("later operations answered already: move them out of LATER")
        .doesNotContainAnyElementsOf(LATER);
  }

  @Test
  void ourOpenApiListsOurOperations() throws Exception {
    AdminApi api = api();
    JsonNode doc =
        JSON.readTree(
            api.handle(
                    new dev.resolute.server.http.HttpRequest(
                        "GET", "/openapi", java.util.List.of(), new byte[0]))
                .join()
                .body());
    assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
    Set<String> expected = new TreeSet<>();
    for (RouteTable.Operation op : api.operations()) {
      expected.add(op.method() + " " + AdminOpenApi.canonicalPath(op.path()));
    }
    expected.removeAll(UNLISTED);
    assertThat(operations(doc)).isEqualTo(expected);
    assertThat(doc.at("/paths/~1services~1{service}/patch/operationId").asText())
        .isEqualTo("modify_service");
  }

  private static Set<String> operations(JsonNode doc) {
    Set<String> out = new TreeSet<>();
    Iterator<java.util.Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
    while (paths.hasNext()) {
      var p = paths.next();
      p.getValue()
          .fieldNames()
          .forEachRemaining(m -> out.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey()));
    }
    return out;
  }

  private static AdminApi api() {
    Dispatcher dispatcher =
        (Dispatcher)
            Proxy.newProxyInstance(
                Dispatcher.class.getClassLoader(),
                new Class<?>[] {Dispatcher.class},
                (p, m, a) -> CompletableFuture.failedFuture(new DispatchException(404, "none")));
    return new AdminApi(
        SchemaRegistry.inMemory(),
        new DiscoveryClient(
            (uri, method, headers, body, http11, timeout, maxBytes) ->
                CompletableFuture.failedFuture(new IllegalStateException("no network here")),
            "localcluster",
            java.time.Duration.ofSeconds(1),
            null),
        dispatcher,
        "test",
        "http://h:1/");
  }
}
