package dev.resolute.server.ingress;

import dev.resolute.protocol.id.AwakeableId;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.Dispatcher;
import dev.resolute.server.api.InvocationRequest;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.api.Outcome;
import dev.resolute.server.api.SubmitResult;
import dev.resolute.server.schema.DeploymentSchema;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.HandlerType;
import dev.resolute.server.schema.Schemas;
import dev.resolute.server.schema.ServiceSchema;
import dev.resolute.server.schema.ServiceType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Test doubles for {@link IngressApi}: the services of {@link CaptureServices} (the deployment used
 * to record restate-server 1.7.12) as schemas, and a dispatcher that answers from maps.
 */
final class IngressFakes {
  private IngressFakes() {}

  static HandlerSchema handler(
      String name, HandlerType type, String inCt, boolean inRequired, String outCt) {
    return new HandlerSchema(
        name,
        type,
        true,
        null,
        Map.of(),
        inCt,
        inRequired,
        null,
        outCt,
        false,
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        null);
  }

  static ServiceSchema service(
      String name, ServiceType type, boolean isPublic, HandlerSchema... handlers) {
    Map<String, HandlerSchema> m = new LinkedHashMap<>();
    for (HandlerSchema h : handlers) {
      m.put(h.name(), h);
    }
    return new ServiceSchema(
        name, type, 1, "dp_test", isPublic, null, Map.of(), m, null, null, null, null, null, false,
        null);
  }

  static final String JSON = "application/json";

  /**
   * CaptureServicesGreeter / Counter / Wf as the real server registered them, plus a private
   * service.
   */
  static Schemas captureSchemas() {
    Map<String, ServiceSchema> services = new LinkedHashMap<>();
    services.put(
        "CaptureServicesGreeter",
        service(
            "CaptureServicesGreeter",
            ServiceType.SERVICE,
            true,
            handler("greet", null, JSON, true, JSON),
            handler("fail", null, JSON, true, JSON),
            handler("headers", null, null, false, JSON)));
    services.put(
        "CaptureServicesCounter",
        service(
            "CaptureServicesCounter",
            ServiceType.VIRTUAL_OBJECT,
            true,
            handler("add", HandlerType.EXCLUSIVE, JSON, true, JSON)));
    services.put(
        "CaptureServicesWf",
        service(
            "CaptureServicesWf",
            ServiceType.WORKFLOW,
            true,
            handler("run", HandlerType.WORKFLOW, JSON, true, JSON),
            handler("signal", HandlerType.SHARED, JSON, true, null)));
    services.put(
        "Hidden",
        service("Hidden", ServiceType.SERVICE, false, handler("greet", null, JSON, true, JSON)));
    return new Schemas() {
      @Override
      public Optional<ServiceSchema> service(String name) {
        return Optional.ofNullable(services.get(name));
      }

      @Override
      public Optional<DeploymentSchema> deployment(String id) {
        return Optional.empty();
      }

      @Override
      public List<ServiceSchema> services() {
        return new ArrayList<>(services.values());
      }

      @Override
      public List<DeploymentSchema> deployments() {
        return List.of();
      }
    };
  }

  /** Records requests; answers calls with {@link #callAnswer}, dedups sends by invocation id. */
  static final class FakeDispatcher implements Dispatcher {
    final List<InvocationRequest> calls = new ArrayList<>();
    final List<InvocationRequest> submits = new ArrayList<>();
    final Map<AwakeableId, Outcome> awakeables = new HashMap<>();
    final Set<InvocationId> accepted = new HashSet<>();
    final Map<InvocationId, Outcome> completed = new HashMap<>();
    final Set<InvocationId> running = new HashSet<>();
    Function<InvocationRequest, Outcome> callAnswer =
        r ->
            Outcome.success(
                ("\"Hello " + new String(r.body(), StandardCharsets.UTF_8).replace("\"", "") + "\"")
                    .getBytes(StandardCharsets.UTF_8));

    @Override
    public CompletableFuture<SubmitResult> submit(InvocationRequest request) {
      submits.add(request);
      boolean previously = !accepted.add(request.id());
      return CompletableFuture.completedFuture(
          new SubmitResult(request.id(), previously, request.executionTimeMillis()));
    }

    @Override
    public CompletableFuture<InvocationResult> call(InvocationRequest request) {
      calls.add(request);
      return CompletableFuture.completedFuture(
          new InvocationResult(request.id(), callAnswer.apply(request)));
    }

    @Override
    public CompletableFuture<Void> completeAwakeable(AwakeableId id, Outcome result) {
      awakeables.put(id, result);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<InvocationResult> attach(InvocationId id) {
      Outcome o = completed.get(id);
      if (o == null) {
        return CompletableFuture.failedFuture(new DispatchException(404, "invocation not found"));
      }
      return CompletableFuture.completedFuture(new InvocationResult(id, o));
    }

    @Override
    public CompletableFuture<Optional<InvocationResult>> output(InvocationId id) {
      if (running.contains(id)) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      Outcome o = completed.get(id);
      if (o == null) {
        return CompletableFuture.failedFuture(new DispatchException(404, "invocation not found"));
      }
      return CompletableFuture.completedFuture(Optional.of(new InvocationResult(id, o)));
    }

    @Override
    public CompletableFuture<Boolean> cancel(InvocationId id) {
      return CompletableFuture.completedFuture(false);
    }

    @Override
    public CompletableFuture<Void> kill(InvocationId id) {
      return CompletableFuture.completedFuture(null);
    }
  }
}
