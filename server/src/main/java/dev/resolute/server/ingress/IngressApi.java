package dev.resolute.server.ingress;

import static dev.resolute.server.ingress.IngressErrors.reject;

import dev.resolute.protocol.id.DeterministicIds;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.protocol.id.Ulid;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.Dispatcher;
import dev.resolute.server.api.Failures;
import dev.resolute.server.api.InvocationRequest;
import dev.resolute.server.config.Durations;
import dev.resolute.server.http.HttpHandler;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.limits.DeclaredRates;
import dev.resolute.server.metrics.IngressMetrics;
import dev.resolute.server.pb.Target;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.HandlerType;
import dev.resolute.server.schema.Schemas;
import dev.resolute.server.schema.ServiceSchema;
import dev.resolute.server.tracing.IngressTrace;
import dev.resolute.server.tracing.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP ingress (port 8080), answering like restate-server 1.7.12:
 *
 * <ul>
 *   <li>{@code GET|POST /{service}/{handler}[/send]}, {@code /{object}/{key}/{handler}[/send]},
 *       {@code /{workflow}/{id}/{handler}[/send]}; {@code ?delay=} only on sends
 *   <li>{@code GET /restate/health}
 *   <li>{@code POST /restate/awakeables/{id}/resolve|reject} (alias {@code /restate/a/…})
 *   <li>{@code GET /restate/invocation/{id}/attach|output}, {@code GET
 *       /restate/invocation/{service}[/{key}]/{handler}/{idempotencyKey}/attach|output}, {@code GET
 *       /restate/workflow/{workflow}/{id}/attach|output}
 * </ul>
 *
 * Validation happens here; durability, dedup and results come from the {@link Dispatcher}. A {@link
 * DispatchException} becomes an ingress error with its status and message.
 */
public final class IngressApi implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(IngressApi.class);
  private static final Set<String> DROPPED_HEADERS =
      Set.of("connection", "host", "idempotency-key", "idempotency-expires");
  private static final String CORS_VARY =
      "origin, access-control-request-method, access-control-request-headers";

  private final Schemas schemas;
  private final Dispatcher dispatcher;
  private final Clock clock;
  private final RandomGenerator random;
  private final RestatePaths restatePaths;
  private volatile IngressMetrics metrics = IngressMetrics.none();
  private volatile DeclaredRates declaredRates = new DeclaredRates();
  private volatile Tracing tracing = Tracing.disabled();

  /**
   * @param clock wall clock for ULIDs and {@code ?delay=} execution times
   * @param random source of ULID randomness and of the bucket of unkeyed invocations
   */
  public IngressApi(Schemas schemas, Dispatcher dispatcher, Clock clock, RandomGenerator random) {
    this.schemas = schemas;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.random = random;
    this.restatePaths = new RestatePaths(schemas, dispatcher);
  }

  /**
   * CORS as restate-server's ingress answers it (tower-http's "very permissive" layer): every
   * OPTIONS is a preflight answered 200 mirroring the requested method and headers; every other
   * response carries {@code vary} and {@code access-control-allow-credentials}, and mirrors the
   * request's {@code origin}.
   */
  @Override
  public CompletableFuture<HttpResponse> handle(HttpRequest request) {
    String origin = request.header("origin");
    if (request.method().equals("OPTIONS")) {
      List<Map.Entry<String, String>> h = new ArrayList<>();
      h.add(Map.entry("access-control-allow-credentials", "true"));
      h.add(Map.entry("vary", CORS_VARY));
      String method = request.header("access-control-request-method");
      if (method != null) {
        h.add(Map.entry("access-control-allow-methods", method));
      }
      String headers = request.header("access-control-request-headers");
      if (headers != null) {
        h.add(Map.entry("access-control-allow-headers", headers));
      }
      if (origin != null) {
        h.add(Map.entry("access-control-allow-origin", origin));
      }
      return CompletableFuture.completedFuture(new HttpResponse(200, h, new byte[0]));
    }
    return route(request)
        .thenApply(
            r -> {
              List<Map.Entry<String, String>> h = new ArrayList<>(r.headers().size() + 3);
              h.addAll(r.headers());
              h.add(Map.entry("vary", CORS_VARY));
              h.add(Map.entry("access-control-allow-credentials", "true"));
              if (origin != null) {
                h.add(Map.entry("access-control-allow-origin", origin));
              }
              return new HttpResponse(r.status(), h, r.body());
            });
  }

  /** Where requests are recorded; none until set. */
  /** Where ingress spans go and how a caller's {@code traceparent} is read; none until set. */
  public IngressApi tracing(Tracing t) {
    this.tracing = t;
    return this;
  }

  /**
   * Unscoped invocations of a service that declares a rate in its manifest take its implicit scope
   * ({@link DeclaredRates}).
   */
  public IngressApi declaredRates(DeclaredRates rates) {
    this.declaredRates = rates;
    return this;
  }

  public IngressApi metrics(IngressMetrics m) {
    this.metrics = m;
    return this;
  }

  private CompletableFuture<HttpResponse> route(HttpRequest request) {
    List<String> segs = segments(request.path());
    try {
      if (segs.size() < 2 || segs.size() > 7) {
        // restate-server counts the slashes of the path (trailing and leading empty segments
        // dropped): 2 to 7, else a bad path naming that path
        throw reject(400, "bad path: /" + String.join("/", segs));
      }
      CompletableFuture<HttpResponse> f;
      if (segs.size() >= 2 && segs.get(0).equals("restate") && segs.get(1).equals("scope")) {
        metrics.admitted();
        f = handleScoped(request, segs);
      } else if (!segs.isEmpty() && segs.get(0).equals("restate")) {
        f = restatePaths.handle(request, segs);
      } else {
        metrics.admitted();
        f = handleInvocation(request, segs);
      }
      return f.exceptionally(IngressApi::fromThrowable);
    } catch (IngressErrors.RejectException e) {
      requestError(segs);
      return CompletableFuture.completedFuture(e.response);
    } catch (RuntimeException e) {
      requestError(segs);
      return CompletableFuture.completedFuture(fromThrowable(e));
    }
  }

  /** Counts a refused request on an invocation path whose service exists (restate's way). */
  private void requestError(List<String> segs) {
    if (segs.size() >= 2
        && !segs.get(0).equals("restate")
        && schemas.service(segs.get(0)).isPresent()) {
      metrics.requestError(segs.get(0), segs.get(segs.size() - 1).equals("send"));
    }
  }

  /**
   * Path segments as restate-server's ingress sees them: empty segments at the start and the end
   * are dropped ({@code //Greeter/greet/}), empty ones inside are kept ({@code /Counter//add} is
   * the object key "", {@code /restate/awakeables//resolve} an empty id).
   */
  static List<String> segments(String path) {
    String[] parts = path.split("/", -1);
    int from = 0;
    int to = parts.length;
    while (from < to && parts[from].isEmpty()) {
      from++;
    }
    while (to > from && parts[to - 1].isEmpty()) {
      to--;
    }
    return java.util.Arrays.asList(parts).subList(from, to);
  }

  private static HttpResponse fromThrowable(Throwable t) {
    Throwable c = Failures.unwrap(t);
    if (c instanceof DispatchException d) {
      return IngressErrors.ingress(d.status(), d.getMessage());
    }
    if (c instanceof IngressErrors.RejectException r) {
      return r.response;
    }
    LOG.warn("ingress request failed", c);
    return IngressErrors.ingress(500, String.valueOf(c.getMessage()));
  }

  // ---------------------------------------------------------------- invocations

  /**
   * {@code /{service}/{handler}[/send]} and {@code /{object}/{key}/{handler}[/send]}, checked in
   * restate-server's order: service, path shape, handler, public, idempotency key on a workflow
   * handler, method, input, delay.
   */
  private CompletableFuture<HttpResponse> handleInvocation(HttpRequest request, List<String> segs) {
    return handleInvocation(request, segs, null, null);
  }

  /**
   * {@code /restate/scope/{scope}/call|send/{service}[/{key}]/{handler}}: an invocation in a scope
   * (what limit rules match), with an optional limit key ({@code x-restate-limit-key} header or
   * {@code ?limit-key=}, one or two levels). A scoped invocation of a plain service takes its
   * partition key from the scope, so every counter of the scope lives in one partition.
   */
  private CompletableFuture<HttpResponse> handleScoped(HttpRequest request, List<String> segs) {
    if (segs.size() < 6 || !(segs.get(3).equals("call") || segs.get(3).equals("send"))) {
      throw reject(400, IngressErrors.BAD_PATH);
    }
    String scope = PathSegments.decodeKey(segs.get(2));
    if (!dev.resolute.server.limits.RulePattern.isValue(scope)) {
      throw reject(400, "invalid scope '" + scope + "': expected [a-zA-Z0-9_.-]{1,36}");
    }
    String limitKey = request.header("x-restate-limit-key");
    if (limitKey == null) {
      limitKey = request.query().get("limit-key");
    }
    if (limitKey != null) {
      String[] levels = limitKey.split("/", -1);
      boolean ok = levels.length <= 2;
      for (String l : levels) {
        ok &= dev.resolute.server.limits.RulePattern.isValue(l);
      }
      if (!ok) {
        throw reject(
            400,
            "invalid limit key '"
                + limitKey
                + "': expected one or two levels of [a-zA-Z0-9_.-]{1,36} separated by '/'");
      }
    }
    List<String> rest = new ArrayList<>(segs.subList(4, segs.size()));
    if (segs.get(3).equals("send")) {
      rest.add("send");
    }
    return handleInvocation(request, rest, scope, limitKey);
  }

  private CompletableFuture<HttpResponse> handleInvocation(
      HttpRequest request, List<String> segs, String scope, String limitKey) {
    String serviceName = segs.get(0);
    ServiceSchema service =
        schemas.service(serviceName).orElseThrow(() -> IngressErrors.serviceNotFound(serviceName));
    boolean keyed = service.type().isKeyed();
    int base = keyed ? 3 : 2;
    boolean send = segs.size() == base + 1 && segs.get(base).equals("send");
    if (segs.size() != base && !send) {
      throw reject(400, IngressErrors.BAD_PATH);
    }
    String key = keyed ? PathSegments.decodeKey(segs.get(1)) : null;
    String handlerName = segs.get(base - 1);
    HandlerSchema handler = service.handler(handlerName);
    if (handler == null) {
      throw reject(
          404,
          "the service '"
              + serviceName
              + "' exists, but the handler '"
              + handlerName
              + "' was not found, check that the handler exists in the latest registered service version.");
    }
    if (!service.isPublic() || !handler.isPublic()) {
      throw reject(400, "the invoked service is not public");
    }
    String idempotencyKey = visibleAscii("idempotency-key", request.header("idempotency-key"));
    if (idempotencyKey != null && handler.type() == HandlerType.WORKFLOW) {
      throw reject(400, IngressErrors.IDEMPOTENCY_ON_WORKFLOW);
    }
    String method = request.method();
    if (!method.equals("GET") && !method.equals("POST")) {
      throw reject(405, IngressErrors.METHOD_NOT_ALLOWED);
    }
    validateInput(handler, request);
    for (Map.Entry<String, String> h : request.headers()) {
      if (!h.getKey().startsWith(":")) {
        visibleAscii(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
      }
    }

    Map<String, String> query = request.query();
    long executionTime = 0;
    String delayText = query.get("delay");
    if (delayText != null) {
      Duration delay;
      try {
        delay = Durations.parse(delayText);
      } catch (IllegalArgumentException e) {
        throw reject(400, IngressErrors.BAD_DELAY + e.getMessage());
      }
      if (!send) {
        throw reject(400, IngressErrors.DELAY_ON_CALL);
      }
      try {
        executionTime = Durations.executionTime(clock.millis(), delay);
      } catch (IllegalArgumentException e) {
        throw reject(400, IngressErrors.BAD_DELAY + e.getMessage());
      }
    }

    if (scope == null) {
      Optional<DeclaredRates.Implicit> implicit =
          declaredRates.implicitScope(serviceName, handlerName);
      if (implicit.isPresent()) {
        scope = implicit.get().scope();
        limitKey = implicit.get().limitKey();
      }
    }
    InvocationId id;
    if (handler.type() == HandlerType.WORKFLOW) {
      id = DeterministicIds.workflowRun(serviceName, key);
    } else if (idempotencyKey != null) {
      id = DeterministicIds.idempotent(serviceName, key, handlerName, idempotencyKey);
    } else if (keyed) {
      id = new InvocationId(PartitionKeys.keyed(key), Ulid.generate(clock.millis(), random));
    } else if (scope != null) {
      id = new InvocationId(PartitionKeys.keyed(scope), Ulid.generate(clock.millis(), random));
    } else {
      id =
          new InvocationId(
              PartitionKeys.bucket(serviceName, random.nextInt(PartitionKeys.UNKEYED_BUCKETS)),
              Ulid.generate(clock.millis(), random));
    }
    Tracing tr = tracing;
    String traceparent = request.header("traceparent");
    IngressTrace trace =
        traceparent == null && !tr.enabled()
            ? IngressTrace.NONE
            : tr.ingress(
                id,
                traceTarget(serviceName, handlerName, keyed, key),
                traceparent,
                request.header("tracestate"));
    InvocationRequest invocation =
        new InvocationRequest(
            id,
            serviceName,
            handlerName,
            key,
            request.body(),
            forwardedHeaders(request),
            idempotencyKey,
            executionTime,
            trace.record(),
            scope,
            limitKey);
    IngressMetrics.Target m = metrics.target(serviceName, handlerName, send);
    long start = m.start();
    if (send) {
      return dispatcher
          .submit(invocation)
          .handle(
              (r, err) ->
                  answered(
                      m, trace, start, err, err == null ? IngressResponses.send(r, id) : null));
    }
    return dispatcher
        .call(invocation)
        .handle(
            (r, err) ->
                answered(
                    m,
                    trace,
                    start,
                    err,
                    err == null
                        ? IngressResponses.result(
                            r.id() == null ? id : r.id(), r.outcome(), handler, r.expiresAtMillis())
                        : null));
  }

  /** Records the answer of a dispatched request, or rethrows the dispatcher's failure. */
  private static HttpResponse answered(
      IngressMetrics.Target m,
      IngressTrace trace,
      long start,
      Throwable err,
      HttpResponse response) {
    if (err != null) {
      m.requestError();
      trace.fail(err);
      throw err instanceof CompletionException c ? c : new CompletionException(err);
    }
    m.answered(start, response.status());
    trace.end(response.status());
    return response;
  }

  /** The invocation's target, for its trace only (built only when there is a trace). */
  private static Target traceTarget(String service, String handler, boolean keyed, String key) {
    return Target.newBuilder()
        .setService(service)
        .setHandler(handler)
        .setKeyed(keyed)
        .setKey(key == null ? "" : key)
        .build();
  }

  /**
   * A header value as restate-server reads it (Rust's {@code HeaderValue::to_str}): visible ASCII
   * and tabs only, else 400.
   *
   * @return {@code value}
   */
  private static String visibleAscii(String name, String value) {
    if (value != null) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c != '\t' && (c < 0x20 || c >= 0x7f)) {
          throw reject(400, "bad header " + name + ": ToStrError { _priv: () }");
        }
      }
    }
    return value;
  }

  /** Input rules of the handler, with restate-server's messages. */
  private static void validateInput(HandlerSchema handler, HttpRequest request) {
    String contentType = visibleAscii("content-type", request.header("content-type"));
    boolean emptyBody = request.body() == null || request.body().length == 0;
    String accepted = handler.inputContentType();
    if (accepted == null) {
      if (contentType != null || !emptyBody) {
        throw reject(
            400,
            "input validation error: Expected body and content-type to be empty, but wasn't with "
                + "content-type '"
                + (contentType == null ? "None" : "Some(\"" + contentType + "\")")
                + "'");
      }
      return;
    }
    if (contentType == null) {
      if (emptyBody && !handler.inputRequired()) {
        return;
      }
      throw reject(400, "input validation error: Empty content-type");
    }
    if (!ContentTypes.matches(accepted, contentType)) {
      throw reject(
          400,
          "input validation error: Content-type '"
              + contentType
              + "' does not match '"
              + accepted
              + "'");
    }
    if (emptyBody && handler.inputRequired()) {
      throw reject(400, "input validation error: Empty body not allowed");
    }
  }

  /** Request headers minus hop/idempotency headers, with {@code x-restate-ingress-path} first. */
  static List<Map.Entry<String, String>> forwardedHeaders(HttpRequest request) {
    List<Map.Entry<String, String>> out = new ArrayList<>(request.headers().size() + 1);
    out.add(Map.entry("x-restate-ingress-path", request.uri()));
    for (Map.Entry<String, String> h : request.headers()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (!DROPPED_HEADERS.contains(name) && !name.startsWith(":")) {
        out.add(Map.entry(name, h.getValue()));
      }
    }
    return out;
  }
}
