package dev.resolute.server.ingress;

import static dev.resolute.server.ingress.IngressErrors.reject;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.protocol.id.AwakeableId;
import dev.resolute.protocol.id.DeterministicIds;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.api.Dispatcher;
import dev.resolute.server.api.InvocationResult;
import dev.resolute.server.api.Outcome;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.schema.HandlerSchema;
import dev.resolute.server.schema.HandlerType;
import dev.resolute.server.schema.Schemas;
import dev.resolute.server.schema.ServiceSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The ingress paths under {@code /restate/}: health, awakeable resolve/reject, and attach/output of
 * an invocation by id, by idempotency key or by workflow id.
 */
final class RestatePaths {
  private final Schemas schemas;
  private final Dispatcher dispatcher;

  RestatePaths(Schemas schemas, Dispatcher dispatcher) {
    this.schemas = schemas;
    this.dispatcher = dispatcher;
  }

  /**
   * {@code /restate/{verb}/…} parsed as restate-server 1.7.12 does: each verb reads the segments it
   * needs (a missing one is a bad path of that verb), an unknown operation is 404, segments after
   * the operation are ignored, and the method is checked once the path is understood.
   */
  CompletableFuture<HttpResponse> handle(HttpRequest request, List<String> segs) {
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
    return HttpResponse.bytes(
        200, IngressResponses.JSON, n.toString().getBytes(StandardCharsets.UTF_8));
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
    Outcome outcome =
        op.equals("resolve")
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

  private enum Op {
    ATTACH,
    OUTPUT
  }

  private static Op op(String s) {
    return switch (s) {
      case "attach" -> Op.ATTACH;
      case "output" -> Op.OUTPUT;
      default -> null;
    };
  }

  /**
   * {@code /restate/invocation/{id}/{op}}, {@code /{svc}/{handler}/{ik}/{op}}, {@code
   * /{obj}/{key}/{handler}/{ik}/{op}}: a third segment makes it an idempotency lookup, and then the
   * service (which must exist) says whether a key segment follows.
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
    ServiceSchema svc =
        schemas.service(first).orElseThrow(() -> IngressErrors.serviceNotFound(first));
    boolean keyed = svc.type().isKeyed();
    String key = keyed ? PathSegments.decodeKey(second) : null;
    String handler = keyed ? third : second;
    String idempotencyKey = keyed ? at(segs, 5) : third;
    String last = at(segs, keyed ? 6 : 5);
    if (idempotencyKey == null || last == null) {
      throw reject(400, IngressErrors.BAD_INVOCATION_PATH);
    }
    Op op = requireOp(last);
    requireMethod(request, "GET");
    return lookup(
        DeterministicIds.idempotent(first, key, handler, idempotencyKey), op, svc.handler(handler));
  }

  private CompletableFuture<HttpResponse> workflowLookup(HttpRequest request, List<String> segs) {
    String workflow = at(segs, 2);
    String rawKey = at(segs, 3);
    String last = at(segs, 4);
    if (workflow == null || rawKey == null || last == null) {
      throw reject(400, IngressErrors.BAD_WORKFLOW_PATH);
    }
    String key = PathSegments.decodeKey(rawKey);
    Op op = requireOp(last);
    requireMethod(request, "GET");
    HandlerSchema run =
        schemas
            .service(workflow)
            .flatMap(
                s ->
                    s.handlers().values().stream()
                        .filter(h -> h.type() == HandlerType.WORKFLOW)
                        .findFirst())
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
      return dispatcher
          .attach(id)
          .thenApply(
              (InvocationResult r) ->
                  IngressResponses.result(
                      r.id() == null ? id : r.id(), r.outcome(), handler, r.expiresAtMillis()));
    }
    return dispatcher
        .output(id)
        .thenApply(
            (Optional<InvocationResult> o) ->
                o.isEmpty()
                    ? IngressErrors.ingress(470, IngressErrors.NOT_READY)
                    : IngressResponses.result(
                        id, o.get().outcome(), handler, o.get().expiresAtMillis()));
  }

  private static String at(List<String> segs, int i) {
    return i < segs.size() ? segs.get(i) : null;
  }
}
