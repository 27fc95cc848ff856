package dev.resolute.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resolute.client.Client;
import dev.resolute.client.IngressException;
import dev.resolute.client.RequestOptions;
import dev.resolute.client.Response;
import dev.resolute.client.SendResponse;
import dev.resolute.common.Output;
import dev.resolute.common.Request;
import dev.resolute.common.Slice;
import dev.resolute.common.Target;
import dev.resolute.serde.Serde;
import dev.resolute.serde.SerdeFactory;
import dev.resolute.serde.TypeTag;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * {@link Client} over the JDK {@link HttpClient} (HTTP/1.1). Builds ingress paths with {@link
 * IngressPaths}, maps answers: 2xx → decoded body, 470 on {@code /output} → not ready, anything
 * else → {@link IngressException} with the ingress' {@code message}.
 */
public final class JdkClient implements Client {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int NOT_READY = 470;

  private final String baseUri;
  private final SerdeFactory serdeFactory;
  private final RequestOptions baseOptions;
  private final HttpClient http;

  public JdkClient(String baseUri, SerdeFactory serdeFactory, RequestOptions baseOptions) {
    Objects.requireNonNull(baseUri, "baseUri");
    URI parsed = URI.create(baseUri);
    if (!parsed.isAbsolute()) {
      throw new IllegalArgumentException(
          "the base URI must be absolute, e.g. http://localhost:8080, got " + baseUri);
    }
    this.baseUri = baseUri.endsWith("/") ? baseUri.substring(0, baseUri.length() - 1) : baseUri;
    this.serdeFactory = Objects.requireNonNull(serdeFactory, "serdeFactory");
    this.baseOptions = baseOptions == null ? RequestOptions.DEFAULT : baseOptions;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  @Override
  public <Req, Res> CompletableFuture<Response<Res>> callAsync(Request<Req, Res> request) {
    Serde<Res> resSerde = serdeFactory.create(request.getResponseTypeTag());
    URI uri = URI.create(baseUri + IngressPaths.call(request.getTarget()));
    return post(
        uri,
        request,
        (status, headers, body) ->
            new Response<>(status, headers, decode(resSerde, body, "POST", uri, status)));
  }

  @Override
  public <Req, Res> CompletableFuture<SendResponse<Res>> sendAsync(
      Request<Req, Res> request, Duration delay) {
    URI uri = URI.create(baseUri + IngressPaths.send(request.getTarget(), delay));
    return post(
        uri,
        request,
        (status, headers, body) -> {
          JsonNode json;
          try {
            json = JSON.readTree(body.unsafeArray());
          } catch (IOException e) {
            throw new IngressException(
                "cannot decode the send response",
                "POST",
                uri.toString(),
                status,
                body.toByteArray(),
                e);
          }
          String id = json == null ? null : json.path("invocationId").asText(null);
          String st = json == null ? null : json.path("status").asText(null);
          if (id == null || st == null) {
            throw new IngressException(
                "the send response lacks invocationId/status",
                "POST",
                uri.toString(),
                status,
                body.toByteArray(),
                null);
          }
          SendResponse.SendStatus sendStatus;
          if (st.equalsIgnoreCase("Accepted")) {
            sendStatus = SendResponse.SendStatus.ACCEPTED;
          } else if (st.equalsIgnoreCase("PreviouslyAccepted")) {
            sendStatus = SendResponse.SendStatus.PREVIOUSLY_ACCEPTED;
          } else {
            throw new IngressException(
                "unknown send status " + st,
                "POST",
                uri.toString(),
                status,
                body.toByteArray(),
                null);
          }
          return new SendResponse<>(
              status, headers, sendStatus, invocationHandle(id, request.getResponseTypeTag()));
        });
  }

  @Override
  public AwakeableHandle awakeableHandle(String id) {
    Objects.requireNonNull(id, "id");
    return new AwakeableHandle() {
      @Override
      public <T> CompletableFuture<Response<Void>> resolveAsync(
          TypeTag<T> typeTag, T payload, RequestOptions options) {
        Serde<T> serde = serdeFactory.create(typeTag);
        URI uri = URI.create(baseUri + IngressPaths.awakeable(id, "resolve"));
        return exchange(
            "POST",
            uri,
            options,
            serde.contentType(),
            serde.serialize(payload),
            (status, headers, body) -> new Response<>(status, headers, null));
      }

      @Override
      public CompletableFuture<Response<Void>> rejectAsync(String reason, RequestOptions options) {
        URI uri = URI.create(baseUri + IngressPaths.awakeable(id, "reject"));
        return exchange(
            "POST",
            uri,
            options,
            "text/plain",
            Slice.wrap(reason == null ? "" : reason),
            (status, headers, body) -> new Response<>(status, headers, null));
      }
    };
  }

  @Override
  public <Res> InvocationHandle<Res> invocationHandle(
      String invocationId, TypeTag<Res> resTypeTag) {
    Objects.requireNonNull(invocationId, "invocationId");
    return new ById<>(invocationId, serdeFactory.create(resTypeTag));
  }

  @Override
  public <Res> IdempotentInvocationHandle<Res> idempotentInvocationHandle(
      Target target, String idempotencyKey, TypeTag<Res> resTypeTag) {
    return new ByIdempotencyKey<>(
        IngressPaths.idempotentInvocation(target, idempotencyKey), serdeFactory.create(resTypeTag));
  }

  @Override
  public <Res> WorkflowHandle<Res> workflowHandle(
      String workflowName, String workflowId, TypeTag<Res> resTypeTag) {
    return new ByWorkflowId<>(
        IngressPaths.workflow(workflowName, workflowId), serdeFactory.create(resTypeTag));
  }

  /** {@code attach} and {@code output} under one ingress path ({@code base}). */
  private abstract class PathHandle<Res> implements ResultHandle<Res> {
    private final String base;
    private final Serde<Res> serde;

    PathHandle(String base, Serde<Res> serde) {
      this.base = base;
      this.serde = serde;
    }

    @Override
    public CompletableFuture<Response<Res>> attachAsync(RequestOptions options) {
      URI uri = URI.create(baseUri + base + "/attach");
      return exchange(
          "GET",
          uri,
          options,
          null,
          null,
          (status, headers, body) ->
              new Response<>(status, headers, decode(serde, body, "GET", uri, status)));
    }

    @Override
    public CompletableFuture<Response<Output<Res>>> getOutputAsync(RequestOptions options) {
      URI uri = URI.create(baseUri + base + "/output");
      return exchange(
          "GET",
          uri,
          options,
          null,
          null,
          NOT_READY,
          (status, headers, body) ->
              new Response<>(
                  status,
                  headers,
                  status == NOT_READY
                      ? Output.<Res>notReady()
                      : Output.ready(decode(serde, body, "GET", uri, status))));
    }
  }

  private final class ById<Res> extends PathHandle<Res> implements InvocationHandle<Res> {
    private final String invocationId;

    ById(String invocationId, Serde<Res> serde) {
      super(IngressPaths.invocation(invocationId), serde);
      this.invocationId = invocationId;
    }

    @Override
    public String invocationId() {
      return invocationId;
    }

    @Override
    public String toString() {
      return "InvocationHandle[" + invocationId + "]";
    }
  }

  private final class ByIdempotencyKey<Res> extends PathHandle<Res>
      implements IdempotentInvocationHandle<Res> {
    ByIdempotencyKey(String base, Serde<Res> serde) {
      super(base, serde);
    }
  }

  private final class ByWorkflowId<Res> extends PathHandle<Res> implements WorkflowHandle<Res> {
    ByWorkflowId(String base, Serde<Res> serde) {
      super(base, serde);
    }
  }

  private <Req, Res, R> CompletableFuture<R> post(
      URI uri, Request<Req, Res> request, Mapper<R> mapper) {
    Serde<Req> reqSerde = serdeFactory.create(request.getRequestTypeTag());
    Slice body = reqSerde.serialize(request.getRequest());
    Map<String, String> headers = new LinkedHashMap<>(request.getHeaders());
    if (request.getIdempotencyKey() != null) {
      headers.put("idempotency-key", request.getIdempotencyKey());
    }
    RequestOptions options = RequestOptions.withHeaders(headers).build();
    return exchange("POST", uri, options, reqSerde.contentType(), body, mapper);
  }

  private <R> CompletableFuture<R> exchange(
      String method,
      URI uri,
      RequestOptions options,
      String contentType,
      Slice body,
      Mapper<R> mapper) {
    return exchange(method, uri, options, contentType, body, -1, mapper);
  }

  /**
   * Sends one request; statuses 2xx and {@code alsoOk} go to {@code mapper}, the rest become
   * exceptions.
   */
  private <R> CompletableFuture<R> exchange(
      String method,
      URI uri,
      RequestOptions options,
      String contentType,
      Slice body,
      int alsoOk,
      Mapper<R> mapper) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    baseOptions.headers().forEach(b::setHeader);
    if (options != null) {
      options.headers().forEach(b::setHeader);
    }
    if (body != null && contentType != null) {
      b.setHeader("content-type", contentType);
    }
    if ("POST".equals(method)) {
      b.POST(
          body == null || body.readableBytes() == 0
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body.unsafeArray()));
    } else {
      b.GET();
    }
    HttpRequest req;
    try {
      req = b.build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(
          new IngressException(e.getMessage(), method, uri.toString(), -1, null, e));
    }
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (resp, err) -> {
              if (err != null) {
                Throwable cause =
                    err instanceof java.util.concurrent.CompletionException
                            && err.getCause() != null
                        ? err.getCause()
                        : err;
                throw new IngressException(
                    "request failed: " + cause, method, uri.toString(), -1, null, cause);
              }
              int status = resp.statusCode();
              JdkHeaders headers = new JdkHeaders(resp.headers());
              Slice respBody = Slice.wrap(resp.body() == null ? new byte[0] : resp.body());
              if ((status < 200 || status >= 300) && status != alsoOk) {
                throw failure(method, uri, status, headers, respBody);
              }
              return mapper.map(status, headers, respBody);
            });
  }

  private static IngressException failure(
      String method, URI uri, int status, JdkHeaders headers, Slice body) {
    String message = null;
    String ct = headers.get("content-type");
    if (ct != null && ct.contains("json") && body.readableBytes() > 0) {
      try {
        JsonNode n = JSON.readTree(body.unsafeArray());
        if (n != null && n.hasNonNull("message")) {
          message = n.get("message").asText();
        }
      } catch (IOException ignored) {
        // fall through to the generic message; the raw body is kept on the exception
      }
    }
    if (message == null) {
      message = "Received non success status code";
    }
    return new IngressException(message, method, uri.toString(), status, body.toByteArray(), null);
  }

  private static <T> T decode(Serde<T> serde, Slice body, String method, URI uri, int status) {
    try {
      return serde.deserialize(body);
    } catch (RuntimeException e) {
      throw new IngressException(
          "cannot deserialize the response: " + e.getMessage(),
          method,
          uri.toString(),
          status,
          body.toByteArray(),
          e);
    }
  }

  @FunctionalInterface
  private interface Mapper<R> {
    R map(int status, JdkHeaders headers, Slice body);
  }
}
