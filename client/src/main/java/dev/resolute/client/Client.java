package dev.resolute.client;

import dev.resolute.client.internal.JdkClient;
import dev.resolute.common.Output;
import dev.resolute.common.Request;
import dev.resolute.common.Target;
import dev.resolute.serde.SerdeFactory;
import dev.resolute.serde.TypeTag;
import dev.resolute.serde.jackson.JacksonSerdeFactory;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Client of the ingress of a Restate-compatible server. Thread-safe; one instance per base URI is
 * enough. Every blocking method throws {@link IngressException} on a non-2xx answer; the {@code
 * …Async} variants complete exceptionally with it.
 *
 * <pre>{@code
 * Client client = Client.connect("http://localhost:8080");
 * String greeting = client.call(Request.of(Target.service("Greeter", "greet"),
 *     TypeTag.of(String.class), TypeTag.of(String.class), "Alice")).response();
 * }</pre>
 */
public interface Client {

  /** Request-response call: {@code POST /{service}[/{key}]/{handler}}. */
  <Req, Res> CompletableFuture<Response<Res>> callAsync(Request<Req, Res> request);

  default <Req, Res> Response<Res> call(Request<Req, Res> request) throws IngressException {
    return await(callAsync(request));
  }

  /** One-way send: {@code POST …/send}. */
  default <Req, Res> CompletableFuture<SendResponse<Res>> sendAsync(Request<Req, Res> request) {
    return sendAsync(request, null);
  }

  default <Req, Res> SendResponse<Res> send(Request<Req, Res> request) throws IngressException {
    return await(sendAsync(request));
  }

  /**
   * Delayed one-way send: {@code POST …/send?delay=…}; a {@code null} or zero delay sends at once.
   */
  <Req, Res> CompletableFuture<SendResponse<Res>> sendAsync(
      Request<Req, Res> request, Duration delay);

  default <Req, Res> SendResponse<Res> send(Request<Req, Res> request, Duration delay)
      throws IngressException {
    return await(sendAsync(request, delay));
  }

  /**
   * Submits a workflow: sends its {@code run} handler for the workflow id in the request's target
   * ({@link Target#workflow}). A second submit for the same id answers {@link
   * SendResponse.SendStatus#PREVIOUSLY_ACCEPTED}. The official client takes a {@code
   * WorkflowRequest}; here any request whose target has a key is accepted.
   */
  default <Req, Res> CompletableFuture<SendResponse<Res>> submitAsync(Request<Req, Res> request) {
    return submitAsync(request, null);
  }

  default <Req, Res> SendResponse<Res> submit(Request<Req, Res> request) throws IngressException {
    return await(submitAsync(request));
  }

  default <Req, Res> CompletableFuture<SendResponse<Res>> submitAsync(
      Request<Req, Res> request, Duration delay) {
    if (request.getTarget().getKey() == null) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "submit needs a workflow target with a key, got " + request.getTarget()));
    }
    return sendAsync(request, delay);
  }

  default <Req, Res> SendResponse<Res> submit(Request<Req, Res> request, Duration delay)
      throws IngressException {
    return await(submitAsync(request, delay));
  }

  /** A handle to resolve or reject the awakeable with this id. */
  AwakeableHandle awakeableHandle(String id);

  /** A handle on an invocation by its id ({@code inv_…}). */
  <Res> InvocationHandle<Res> invocationHandle(String invocationId, TypeTag<Res> resTypeTag);

  default <Res> InvocationHandle<Res> invocationHandle(String invocationId, Class<Res> clazz) {
    return invocationHandle(invocationId, TypeTag.of(clazz));
  }

  /** A handle on the invocation of {@code target} made with {@code idempotencyKey}. */
  <Res> IdempotentInvocationHandle<Res> idempotentInvocationHandle(
      Target target, String idempotencyKey, TypeTag<Res> resTypeTag);

  default <Res> IdempotentInvocationHandle<Res> idempotentInvocationHandle(
      Target target, String idempotencyKey, Class<Res> clazz) {
    return idempotentInvocationHandle(target, idempotencyKey, TypeTag.of(clazz));
  }

  /** A handle on the {@code run} of workflow {@code workflowName} with id {@code workflowId}. */
  <Res> WorkflowHandle<Res> workflowHandle(
      String workflowName, String workflowId, TypeTag<Res> resTypeTag);

  default <Res> WorkflowHandle<Res> workflowHandle(
      String workflowName, String workflowId, Class<Res> clazz) {
    return workflowHandle(workflowName, workflowId, TypeTag.of(clazz));
  }

  /** A client with JSON (Jackson) serdes and no default headers. */
  static Client connect(String baseUri) {
    return connect(baseUri, JacksonSerdeFactory.DEFAULT, RequestOptions.DEFAULT);
  }

  /** A client sending {@code options}' headers with every request. */
  static Client connect(String baseUri, RequestOptions options) {
    return connect(baseUri, JacksonSerdeFactory.DEFAULT, options);
  }

  static Client connect(String baseUri, SerdeFactory serdeFactory) {
    return connect(baseUri, serdeFactory, RequestOptions.DEFAULT);
  }

  static Client connect(String baseUri, SerdeFactory serdeFactory, RequestOptions options) {
    return new JdkClient(baseUri, serdeFactory, options);
  }

  /**
   * What every handle on an invocation's result offers: wait for it ({@code …/attach}) or peek at
   * it ({@code …/output}). The sub-interfaces differ only in how they address the invocation.
   */
  interface ResultHandle<Res> {

    /** Waits for the result: {@code GET …/attach}. */
    CompletableFuture<Response<Res>> attachAsync(RequestOptions options);

    default CompletableFuture<Response<Res>> attachAsync() {
      return attachAsync(RequestOptions.DEFAULT);
    }

    default Response<Res> attach(RequestOptions options) throws IngressException {
      return await(attachAsync(options));
    }

    default Response<Res> attach() throws IngressException {
      return await(attachAsync());
    }

    /** Peeks at the result: {@code GET …/output}; not ready → {@link Output#notReady()}. */
    CompletableFuture<Response<Output<Res>>> getOutputAsync(RequestOptions options);

    default CompletableFuture<Response<Output<Res>>> getOutputAsync() {
      return getOutputAsync(RequestOptions.DEFAULT);
    }

    default Response<Output<Res>> getOutput(RequestOptions options) throws IngressException {
      return await(getOutputAsync(options));
    }

    default Response<Output<Res>> getOutput() throws IngressException {
      return await(getOutputAsync());
    }
  }

  /** A handle on one invocation, by id: {@code /restate/invocation/{id}/attach|output}. */
  interface InvocationHandle<Res> extends ResultHandle<Res> {

    String invocationId();
  }

  /**
   * A handle on an invocation made with an idempotency key: {@code
   * /restate/invocation/{service}[/{key}]/{handler}/{idempotencyKey}/attach|output}.
   */
  interface IdempotentInvocationHandle<Res> extends ResultHandle<Res> {}

  /**
   * A handle on a workflow's {@code run}, by workflow id: {@code
   * /restate/workflow/{name}/{id}/attach|output}.
   */
  interface WorkflowHandle<Res> extends ResultHandle<Res> {}

  /** Completes an awakeable from outside: {@code POST /restate/awakeables/{id}/resolve|reject}. */
  interface AwakeableHandle {

    <T> CompletableFuture<Response<Void>> resolveAsync(
        TypeTag<T> typeTag, T payload, RequestOptions options);

    default <T> CompletableFuture<Response<Void>> resolveAsync(TypeTag<T> typeTag, T payload) {
      return resolveAsync(typeTag, payload, RequestOptions.DEFAULT);
    }

    default <T> CompletableFuture<Response<Void>> resolveAsync(
        Class<T> clazz, T payload, RequestOptions options) {
      return resolveAsync(TypeTag.of(clazz), payload, options);
    }

    default <T> CompletableFuture<Response<Void>> resolveAsync(Class<T> clazz, T payload) {
      return resolveAsync(TypeTag.of(clazz), payload, RequestOptions.DEFAULT);
    }

    default <T> Response<Void> resolve(TypeTag<T> typeTag, T payload, RequestOptions options) {
      return await(resolveAsync(typeTag, payload, options));
    }

    default <T> Response<Void> resolve(TypeTag<T> typeTag, T payload) {
      return await(resolveAsync(typeTag, payload));
    }

    default <T> Response<Void> resolve(Class<T> clazz, T payload, RequestOptions options) {
      return await(resolveAsync(clazz, payload, options));
    }

    default <T> Response<Void> resolve(Class<T> clazz, T payload) {
      return await(resolveAsync(clazz, payload));
    }

    /**
     * Rejects with {@code reason} (sent as {@code text/plain}); the waiter gets a terminal error.
     */
    CompletableFuture<Response<Void>> rejectAsync(String reason, RequestOptions options);

    default CompletableFuture<Response<Void>> rejectAsync(String reason) {
      return rejectAsync(reason, RequestOptions.DEFAULT);
    }

    default Response<Void> reject(String reason, RequestOptions options) {
      return await(rejectAsync(reason, options));
    }

    default Response<Void> reject(String reason) {
      return await(rejectAsync(reason));
    }
  }

  /**
   * Blocks on {@code future}, rethrowing {@link IngressException} and other runtime failures
   * unwrapped.
   */
  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new IngressException("interrupted while waiting for the ingress", e);
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IngressException(String.valueOf(cause.getMessage()), cause);
    } catch (CancellationException e) {
      throw new IngressException("the request was cancelled", e);
    }
  }
}
