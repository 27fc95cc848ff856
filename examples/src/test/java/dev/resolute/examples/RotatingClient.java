package dev.resolute.examples;

import dev.resolute.client.Client;
import dev.resolute.client.RequestOptions;
import dev.resolute.client.Response;
import dev.resolute.client.SendResponse;
import dev.resolute.common.Output;
import dev.resolute.common.Request;
import dev.resolute.common.Target;
import dev.resolute.serde.TypeTag;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A {@link Client} over several ingress endpoints (the nodes of a cluster): every request — a call,
 * a send, each attach or output of a handle, each awakeable completion — goes to the next endpoint
 * in turn, so one scenario's requests are spread over every node (a send through one node, its
 * attach through another).
 */
final class RotatingClient implements Client {
  private final List<Client> nodes;
  private final AtomicInteger next;

  /** Rotates over {@code nodes}, starting at index {@code first}. */
  RotatingClient(List<Client> nodes, int first) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("no endpoints");
    }
    this.nodes = List.copyOf(nodes);
    this.next = new AtomicInteger(first);
  }

  private Client next() {
    return nodes.get(Math.floorMod(next.getAndIncrement(), nodes.size()));
  }

  @Override
  public <Req, Res> CompletableFuture<Response<Res>> callAsync(Request<Req, Res> request) {
    return next().callAsync(request);
  }

  @Override
  public <Req, Res> CompletableFuture<SendResponse<Res>> sendAsync(
      Request<Req, Res> request, Duration delay) {
    return next().sendAsync(request, delay);
  }

  @Override
  public AwakeableHandle awakeableHandle(String id) {
    return new AwakeableHandle() {
      @Override
      public <T> CompletableFuture<Response<Void>> resolveAsync(
          TypeTag<T> typeTag, T payload, RequestOptions options) {
        return next().awakeableHandle(id).resolveAsync(typeTag, payload, options);
      }

      @Override
      public CompletableFuture<Response<Void>> rejectAsync(String reason, RequestOptions options) {
        return next().awakeableHandle(id).rejectAsync(reason, options);
      }
    };
  }

  @Override
  public <Res> InvocationHandle<Res> invocationHandle(String invocationId, TypeTag<Res> tag) {
    Rotating<Res> r = new Rotating<>(c -> c.invocationHandle(invocationId, tag));
    return new InvocationHandle<>() {
      @Override
      public String invocationId() {
        return invocationId;
      }

      @Override
      public CompletableFuture<Response<Res>> attachAsync(RequestOptions options) {
        return r.attachAsync(options);
      }

      @Override
      public CompletableFuture<Response<Output<Res>>> getOutputAsync(RequestOptions options) {
        return r.getOutputAsync(options);
      }
    };
  }

  @Override
  public <Res> IdempotentInvocationHandle<Res> idempotentInvocationHandle(
      Target target, String idempotencyKey, TypeTag<Res> tag) {
    Rotating<Res> r =
        new Rotating<>(c -> c.idempotentInvocationHandle(target, idempotencyKey, tag));
    return new IdempotentInvocationHandle<>() {
      @Override
      public CompletableFuture<Response<Res>> attachAsync(RequestOptions options) {
        return r.attachAsync(options);
      }

      @Override
      public CompletableFuture<Response<Output<Res>>> getOutputAsync(RequestOptions options) {
        return r.getOutputAsync(options);
      }
    };
  }

  @Override
  public <Res> WorkflowHandle<Res> workflowHandle(
      String workflowName, String workflowId, TypeTag<Res> tag) {
    Rotating<Res> r = new Rotating<>(c -> c.workflowHandle(workflowName, workflowId, tag));
    return new WorkflowHandle<>() {
      @Override
      public CompletableFuture<Response<Res>> attachAsync(RequestOptions options) {
        return r.attachAsync(options);
      }

      @Override
      public CompletableFuture<Response<Output<Res>>> getOutputAsync(RequestOptions options) {
        return r.getOutputAsync(options);
      }
    };
  }

  /** A handle whose every request is made by the next endpoint's handle. */
  private final class Rotating<Res> {
    private final Function<Client, ResultHandle<Res>> handleOf;

    Rotating(Function<Client, ResultHandle<Res>> handleOf) {
      this.handleOf = handleOf;
    }

    CompletableFuture<Response<Res>> attachAsync(RequestOptions options) {
      return handleOf.apply(next()).attachAsync(options);
    }

    CompletableFuture<Response<Output<Res>>> getOutputAsync(RequestOptions options) {
      return handleOf.apply(next()).getOutputAsync(options);
    }
  }
}
