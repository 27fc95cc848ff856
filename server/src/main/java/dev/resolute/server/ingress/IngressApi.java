package dev.resolute.server.ingress;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.protocol.id.AwakeableId;
import dev.resolute.protocol.id.DeterministicIds;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.PartitionKeys;
import dev.resolute.protocol.id.Ulid;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.Dispatcher;
import dev.resolute.server.api.Failures;
import dev.resolute.server.api.InvocationRequest;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.api.Outcome;
import dev.resolute.server.api.SubmitResult;
import dev.resolute.server.config.Durations;
import dev.resolute.server.http.HttpHandler;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.HandlerType;
import dev.resolute.server.schema.Schemas;
import dev.resolute.server.schema.ServiceSchema;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 *   <li>{@code GET /restate/invocation/{id}/attach|output},
 *       {@code GET /restate/invocation/{service}[/{key}]/{handler}/{idempotencyKey}/attach|output},
 *       {@code GET /restate/workflow/{workflow}/{id}/attach|output}
 * </ul>
 *
 * Validation happens here; durability, dedup and results come from the {@link Dispatcher}. A
 * {@link DispatchException} becomes an ingress error with its status and message.
 */
public final class IngressApi implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(IngressApi.class);
  private static final Set<String> DROPPED_HEADERS = Set.of("connection", "host", "idempotency-key",
      "idempotency-expires");
  private static final DateTimeFormatter EXECUTION_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final String JSON = "application/json";
  private static final String CORS_VARY = "origin, access-control-request-method, access-control-request-headers";
  /** {@code idempotency-expires} as restate-server writes it: 2026-11-23T01:10:50.022+00:00. */
  private static final DateTimeFormatter EXPIRES =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'+00:00'").withZone(ZoneOffset.UTC);

  private final Schemas schemas;
  private final Dispatcher dispatcher;
  private final Clock clock;
  private final RandomGenerator random;

  /**
   * @param clock wall clock for ULIDs and {@code ?delay=} execution times
   * @param random source of ULID randomness and of the bucket of unkeyed invocations
   */
  public IngressApi(Schemas schemas, Dispatcher dispatcher, Clock clock, RandomGenerator random) {
    this.schemas = schemas;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.random = random;
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
    return route(request).thenApply(r -> {
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

  private CompletableFuture<HttpResponse> route(HttpRequest request) {
    try {
      List<String> segs = segments(request.path());
      if (segs.size() < 2 || segs.size() > 7) {
        // restate-server counts the slashes of the path (trailing and leading empty segments
        // dropped): 2 to 7, else a bad path naming that path
        throw reject(400, "bad path: /" + String.join("/", segs));
      }
      CompletableFuture<HttpResponse> f;
      if (!segs.isEmpty() && segs.get(0).equals("restate")) {
        f = handleRestate(request, segs);
      } else {
        f = handleInvocation(request, segs);
      }
      return f.exceptionally(IngressApi::fromThrowable);
    } catch (RejectException e) {
      return CompletableFuture.completedFuture(e.response);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(fromThrowable(e));
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
    if (c instanceof RejectException r) {
      return r.response;
    }
    LOG.warn("ingress request failed", c);
    return IngressErrors.ingress(500, String.valueOf(c.getMessage()));
  }

  /** A validation failure with its ready-made response. */
  private static final class RejectException extends RuntimeException {
    final transient HttpResponse response;

    RejectException(int status, String message) {
      super(message, null, false, false);
      this.response = IngressErrors.ingress(status, message);
    }
  }

  private static RejectException reject(int status, String message) {
    return new RejectException(status, message);
  }

  /**
   * A key segment (object key, workflow id, the key of an idempotency lookup), percent-decoded as
   * restate-server does; service, handler and idempotency-key segments and ids are taken raw.
   */
  private static String decodeKey(String segment) {
    try {
      return PathSegments.decode(segment);
    } catch (IllegalArgumentException e) {
      throw reject(400, "bad path, cannot decode key: " + e.getMessage());
    }
  }

  private static String at(List<String> segs, int i) {
    return i < segs.size() ? segs.get(i) : null;
  }

  // ---------------------------------------------------------------- invocations

  /**
   * {@code /{service}/{handler}[/send]} and {@code /{object}/{key}/{handler}[/send]}, checked in
   * restate-server's order: service, path shape, handler, public, idempotency key on a workflow
   * handler, method, input, delay.
   */
  private CompletableFuture<HttpResponse> handleInvocation(HttpRequest request, List<String> segs) {
    String serviceName = segs.get(0);
    ServiceSchema service = schemas.service(serviceName).orElseThrow(() -> serviceNotFound(serviceName));
    boolean keyed = service.type().isKeyed();
    int base = keyed ? 3 : 2;
    boolean send = segs.size() == base + 1 && segs.get(base).equals("send");
    if (segs.size() != base && !send) {
      throw reject(400, IngressErrors.BAD_PATH);
    }
    String key = keyed ? decodeKey(segs.get(1)) : null;
    String handlerName = segs.get(base - 1);
    HandlerSchema handler = service.handler(handlerName);
    if (handler == null) {
      throw reject(404, "the service '" + serviceName + "' exists, but the handler '" + handlerName
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
      if (delayText.strip().startsWith("-")) {
        throw reject(400, IngressErrors.BAD_DELAY
            + "negative signed durations cannot be converted to an unsigned duration");
      }
      Duration delay;
      try {
        delay = Durations.parse(delayText);
      } catch (IllegalArgumentException e) {
        throw reject(400, IngressErrors.BAD_DELAY + e.getMessage());
      }
      if (delay.isNegative()) {
        throw reject(400, IngressErrors.BAD_DELAY
            + "negative signed durations cannot be converted to an unsigned duration");
      }
      if (!send) {
        throw reject(400, IngressErrors.DELAY_ON_CALL);
      }
      executionTime = clock.millis() + delay.toMillis();
    }

    InvocationId id;
    if (handler.type() == HandlerType.WORKFLOW) {
      id = DeterministicIds.workflowRun(serviceName, key);
    } else if (idempotencyKey != null) {
      id = DeterministicIds.idempotent(serviceName, key, handlerName, idempotencyKey);
    } else if (keyed) {
      id = new InvocationId(PartitionKeys.keyed(key), Ulid.generate(clock.millis(), random));
    } else {
      id = new InvocationId(PartitionKeys.bucket(serviceName, random.nextInt(PartitionKeys.UNKEYED_BUCKETS)),
          Ulid.generate(clock.millis(), random));
    }
    InvocationRequest invocation = new InvocationRequest(id, serviceName, handlerName, key, request.body(),
        forwardedHeaders(request), idempotencyKey, executionTime);
    if (send) {
      return dispatcher.submit(invocation).thenApply(r -> sendResponse(r, id));
    }
    return dispatcher.call(invocation).thenApply(r -> resultResponse(r.id() == null ? id : r.id(), r.outcome(),
        handler, r.expiresAtMillis()));
  }

  /** Input rules of the handler, with restate-server's messages. */
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

  private static void validateInput(HandlerSchema handler, HttpRequest request) {
    String contentType = visibleAscii("content-type", request.header("content-type"));
    boolean emptyBody = request.body() == null || request.body().length == 0;
    String accepted = handler.inputContentType();
    if (accepted == null) {
      if (contentType != null || !emptyBody) {
        throw reject(400, "input validation error: Expected body and content-type to be empty, but wasn't with "
            + "content-type '" + (contentType == null ? "None" : "Some(\"" + contentType + "\")") + "'");
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
      throw reject(400, "input validation error: Content-type '" + contentType + "' does not match '"
          + accepted + "'");
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

  /**
   * The 202 of a send. {@code executionTime} is there when the invocation is scheduled: a new
   * delayed send, or a duplicate of one that has not started yet (whatever delay the duplicate
   * asked for), as restate-server 1.7.12 answers.
   */
  private static RejectException serviceNotFound(String name) {
    return reject(404, "service '" + name + "' not found, make sure to register the service before calling it.");
  }

  private static HttpResponse sendResponse(SubmitResult r, InvocationId requested) {
    InvocationId id = r.id() == null ? requested : r.id();
    ObjectNode n = IngressErrors.JSON.createObjectNode();
    n.put("invocationId", id.toString());
    if (r.executionTimeMillis() > 0) {
      n.put("executionTime", EXECUTION_TIME.format(Instant.ofEpochMilli(r.executionTimeMillis())));
    }
    n.put("status", r.previouslyAccepted() ? "PreviouslyAccepted" : "Accepted");
    return HttpResponse.bytes(202, JSON, n.toString().getBytes(StandardCharsets.UTF_8))
        .withHeader("x-restate-id", id.toString());
  }

  /**
   * A completed invocation: the output with the handler's output content-type (none for an empty
   * body unless the handler asks for it), or the failure with its code as status.
   *
   * @param handler null when unknown (lookup by invocation id): JSON is assumed
   */
  private static HttpResponse resultResponse(InvocationId id, Outcome outcome, HandlerSchema handler,
      long expiresAtMillis) {
    String expires = expiresAtMillis > 0 ? EXPIRES.format(Instant.ofEpochMilli(expiresAtMillis)) : null;
    if (outcome instanceof Outcome.Failure f) {
      return IngressErrors.invocation(id, f.code(), f.message(), f.stacktrace(), expires);
    }
    byte[] value = ((Outcome.Success) outcome).value();
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    headers.add(Map.entry("x-restate-id", id.toString()));
    if (expires != null) {
      headers.add(Map.entry("idempotency-expires", expires));
    }
    String ct = handler == null ? JSON : handler.outputContentType();
    if (ct != null && (value.length > 0 || handler == null || handler.setContentTypeIfEmpty())) {
      headers.add(Map.entry("content-type", ct));
    }
    return new HttpResponse(200, headers, value);
  }

  // ---------------------------------------------------------------- /restate/...

  /**
   * {@code /restate/{verb}/…} parsed as restate-server 1.7.12 does: each verb reads the segments it
   * needs (a missing one is a bad path of that verb), an unknown operation is 404, segments after
   * the operation are ignored, and the method is checked once the path is understood.
   */
  private CompletableFuture<HttpResponse> handleRestate(HttpRequest request, List<String> segs) {
    switch (segs.get(1)) {
      case "health":
        requireMethod(request, "GET");
        return CompletableFuture.completedFuture(health());
      case "awakeables":
      case "a":
        return awakeable(request, segs);
      case "invocation":
        return invocationLookup(request, segs);
      case "workflow":
        return workflowLookup(request, segs);
      default:
        throw reject(404, IngressErrors.NOT_FOUND);
    }
  }

  private static void requireMethod(HttpRequest request, String method) {
    if (!request.method().equals(method)) {
      throw reject(405, IngressErrors.METHOD_NOT_ALLOWED);
    }
  }

  private HttpResponse health() {
    ObjectNode n = IngressErrors.JSON.createObjectNode();
    ArrayNode services = n.putArray("services");
    schemas.services().stream().map(ServiceSchema::name).sorted().forEach(services::add);
    return HttpResponse.bytes(200, JSON, n.toString().getBytes(StandardCharsets.UTF_8));
  }

  private CompletableFuture<HttpResponse> awakeable(HttpRequest request, List<String> segs) {
    String raw = at(segs, 2);
    String op = at(segs, 3);
    if (op == null) {
      throw reject(400, IngressErrors.BAD_AWAKEABLES_PATH);
    }
    if (!op.equals("resolve") && !op.equals("reject")) {
      throw reject(404, IngressErrors.NOT_FOUND);
    }
    requireMethod(request, "POST");
    AwakeableId id;
    try {
      id = AwakeableId.parse(raw);
    } catch (RuntimeException e) {
      throw reject(400, "bad awakeable id '" + raw + "': " + awakeableIdError(raw));
    }
    Outcome outcome = op.equals("resolve")
        ? Outcome.success(request.body())
        // restate-server rejects with code 500 and the body (text) as the message
        : Outcome.failure(500, new String(request.body(), StandardCharsets.UTF_8));
    return dispatcher.completeAwakeable(id, outcome).thenApply(v -> HttpResponse.of(202));
  }

  /**
   * The reason restate-server 1.7.12 gives for an awakeable id it cannot parse: it reads the id as
   * a legacy {@code prom_} id first (version, then type) and reports that error when the id is not
   * a valid {@code sign_} id either.
   */
  static String awakeableIdError(String raw) {
    if (raw.isEmpty()) {
      return "bad length";
    }
    int sep = raw.indexOf('_');
    if (sep < 0) {
      return "bad format";
    }
    if (sep + 1 >= raw.length() || raw.charAt(sep + 1) != '1') {
      return "unrecognized codec version";
    }
    if (raw.startsWith("prom_")) {
      return "base62 decode error";
    }
    return "id doesn't match the expected type";
  }

  private enum Op { ATTACH, OUTPUT }

  private static Op op(String s) {
    return switch (s) {
      case "attach" -> Op.ATTACH;
      case "output" -> Op.OUTPUT;
      default -> null;
    };
  }

  /**
   * {@code /restate/invocation/{id}/{op}}, {@code /{svc}/{handler}/{ik}/{op}},
   * {@code /{obj}/{key}/{handler}/{ik}/{op}}: a third segment makes it an idempotency lookup, and
   * then the service (which must exist) says whether a key segment follows.
   */
  private CompletableFuture<HttpResponse> invocationLookup(HttpRequest request, List<String> segs) {
    String first = at(segs, 2);
    String second = at(segs, 3);
    if (first == null || second == null) {
      throw reject(400, IngressErrors.BAD_INVOCATION_PATH);
    }
    String third = at(segs, 4);
    if (third == null) {
      Op op = requireOp(second);
      Optional<String> bad = InvocationId.invalidReason(first);
      if (bad.isPresent()) {
        throw reject(400, "bad invocation id '" + first + "': " + bad.get());
      }
      requireMethod(request, "GET");
      return lookup(InvocationId.parse(first), op, null);
    }
    ServiceSchema svc = schemas.service(first).orElseThrow(() -> serviceNotFound(first));
    boolean keyed = svc.type().isKeyed();
    String key = keyed ? decodeKey(second) : null;
    String handler = keyed ? third : second;
    String idempotencyKey = keyed ? at(segs, 5) : third;
    String last = at(segs, keyed ? 6 : 5);
    if (idempotencyKey == null || last == null) {
      throw reject(400, IngressErrors.BAD_INVOCATION_PATH);
    }
    Op op = requireOp(last);
    requireMethod(request, "GET");
    return lookup(DeterministicIds.idempotent(first, key, handler, idempotencyKey), op, svc.handler(handler));
  }

  private CompletableFuture<HttpResponse> workflowLookup(HttpRequest request, List<String> segs) {
    String workflow = at(segs, 2);
    String rawKey = at(segs, 3);
    String last = at(segs, 4);
    if (workflow == null || rawKey == null || last == null) {
      throw reject(400, IngressErrors.BAD_WORKFLOW_PATH);
    }
    String key = decodeKey(rawKey);
    Op op = requireOp(last);
    requireMethod(request, "GET");
    HandlerSchema run = schemas.service(workflow)
        .flatMap(s -> s.handlers().values().stream().filter(h -> h.type() == HandlerType.WORKFLOW).findFirst())
        .orElse(null);
    return lookup(DeterministicIds.workflowRun(workflow, key), op, run);
  }

  private static Op requireOp(String segment) {
    Op op = op(segment);
    if (op == null) {
      throw reject(404, IngressErrors.NOT_FOUND);
    }
    return op;
  }

  private CompletableFuture<HttpResponse> lookup(InvocationId id, Op op, HandlerSchema handler) {
    if (op == Op.ATTACH) {
      return dispatcher.attach(id).thenApply((InvocationResult r) ->
          resultResponse(r.id() == null ? id : r.id(), r.outcome(), handler, r.expiresAtMillis()));
    }
    return dispatcher.output(id).thenApply((Optional<InvocationResult> o) -> o.isEmpty()
        ? IngressErrors.ingress(470, IngressErrors.NOT_READY)
        : resultResponse(id, o.get().outcome(), handler, o.get().expiresAtMillis()));
  }
}
