package dev.resolute.server.admin;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.resolute.protocol.id.AwakeableId;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.api.Dispatcher;
import dev.resolute.server.api.InvocationRequest;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.api.Outcome;
import dev.resolute.server.api.SubmitResult;
import dev.resolute.server.discovery.DiscoveryClient;
import dev.resolute.server.http.FuzzRequests;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.transport.UnaryResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The admin API on arbitrary requests: paths and version prefixes ({@link RouteTable}), deployment
 * ids, invocation ids, query parameters, and the JSON bodies (register deployment, PATCH
 * cancel/kill, …). Discovery answers every registration with a fixed valid manifest (no network),
 * the registry is in memory and the dispatcher answers at once. The contract: every request gets an
 * answer, never a 500 (which {@link AdminApi} gives only for an unexpected exception here) and
 * never an exception out of {@code handle}.
 *
 * <p>Input ({@code FuzzRequests}): {@code METHOD URI}, header lines, an empty line, the body.
 */
class AdminApiFuzzTest {
  private static final String MANIFEST =
      "{\"protocolMode\":\"BIDI_STREAM\",\"minProtocolVersion\":5,\"maxProtocolVersion\":6,"
          + "\"services\":[{\"name\":\"Greeter\",\"ty\":\"SERVICE\",\"handlers\":[{\"name\":"
          + "\"greet\",\"input\":{\"contentType\":\"application/json\"}}]},{\"name\":\"Counter\","
          + "\"ty\":\"VIRTUAL_OBJECT\",\"handlers\":[{\"name\":\"add\"},{\"name\":\"get\","
          + "\"ty\":\"SHARED\"}]}]}";

  private static final DiscoveryClient DISCOVERY =
      new DiscoveryClient(
          (uri, method, headers, body, http11, timeout, maxBytes) ->
              CompletableFuture.completedFuture(
                  new UnaryResponse(
                      200,
                      List.of(
                          Map.entry(
                              "content-type", "application/vnd.restate.endpointmanifest.v3+json")),
                      MANIFEST.getBytes(StandardCharsets.UTF_8),
                      "HTTP/2.0")),
          "localcluster",
          Duration.ofSeconds(1),
          null);

  @FuzzTest
  void request(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** Called once by the standalone Jazzer driver ({@code scripts/fuzz}) before fuzzing. */
  public static void fuzzerInitialize() {
    dev.resolute.server.FuzzLogging.off();
  }

  public static void fuzzerTestOneInput(byte[] input) {
    HttpRequest request = FuzzRequests.parse(input);
    SchemaRegistry registry = SchemaRegistry.inMemory();
    AdminApi api =
        new AdminApi(
            registry,
            DISCOVERY,
            new AnsweringDispatcher(),
            "fuzz",
            "http://127.0.0.1:8080/",
            "localcluster",
            Runnable::run);
    // a deployment already registered, so that lookups, deletes and re-registrations find one
    api.handle(
            new HttpRequest(
                "POST",
                "/deployments",
                List.of(Map.entry("content-type", "application/json")),
                "{\"uri\":\"http://deployment:9080/\"}".getBytes(StandardCharsets.UTF_8)))
        .join();
    HttpResponse r = api.handle(request).join();
    // 501 is documented (a deployment delete without force=true, as restate-server)
    if (r.status() < 200 || r.status() == 500 || r.status() > 501) {
      throw new AssertionError(
          "status "
              + r.status()
              + " for "
              + request.method()
              + " "
              + request.uri()
              + ": "
              + new String(r.body(), StandardCharsets.UTF_8));
    }
  }

  /** Every invocation exists and every operation succeeds at once. */
  private static final class AnsweringDispatcher implements Dispatcher {
    @Override
    public CompletableFuture<SubmitResult> submit(InvocationRequest request) {
      return CompletableFuture.completedFuture(new SubmitResult(request.id(), false, 0));
    }

    @Override
    public CompletableFuture<InvocationResult> call(InvocationRequest request) {
      return CompletableFuture.completedFuture(
          new InvocationResult(request.id(), Outcome.success(new byte[0])));
    }

    @Override
    public CompletableFuture<Void> completeAwakeable(AwakeableId id, Outcome result) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<InvocationResult> attach(InvocationId id) {
      return CompletableFuture.completedFuture(
          new InvocationResult(id, Outcome.success(new byte[0])));
    }

    @Override
    public CompletableFuture<Optional<InvocationResult>> output(InvocationId id) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletableFuture<Boolean> cancel(InvocationId id) {
      return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<Void> kill(InvocationId id) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Integer> manage(InvocationId id, Management op) {
      return CompletableFuture.completedFuture(200);
    }
  }
}
