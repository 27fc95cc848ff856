package dev.resolute.server.admin;

import static dev.resolute.server.admin.AdminResponses.done;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.resolute.protocol.id.InvocationId;
import dev.resolute.protocol.id.Ulid;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.Dispatcher;
import dev.resolute.server.api.Failures;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.schema.SchemaRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /invocations/{id}}: {@code PATCH …/cancel|kill|resume|pause|purge|purge-journal} and the
 * deprecated {@code DELETE /invocations/{id}?mode=}, answered as restate-server 1.7.12 does.
 */
final class InvocationsResource {
  private static final Map<String, Dispatcher.Management> MANAGEMENT =
      Map.of(
          "pause",
          Dispatcher.Management.PAUSE,
          "purge",
          Dispatcher.Management.PURGE,
          "purge-journal",
          Dispatcher.Management.PURGE_JOURNAL);

  private final SchemaRegistry registry;
  private final Dispatcher dispatcher;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  InvocationsResource(SchemaRegistry registry, Dispatcher dispatcher, Clock clock) {
    this.registry = registry;
    this.dispatcher = dispatcher;
    this.clock = clock;
  }

  void addTo(RouteTable routes) {
    routes
        .on("DELETE", "/invocations/{id}", c -> delete(c.request(), c.param(0)))
        .on("PATCH", "/invocations/{id}/cancel", c -> terminate(c.param(0), false))
        .on("PATCH", "/invocations/{id}/kill", c -> terminate(c.param(0), true))
        .on("PATCH", "/invocations/{id}/resume", c -> resume(c.request(), c.param(0)))
        .on(
            "PATCH",
            "/invocations/{id}/restart-as-new",
            c -> restartAsNew(c.request(), c.param(0)));
    MANAGEMENT.forEach(
        (op, management) ->
            routes.on(
                "PATCH",
                "/invocations/{id}/" + op,
                c -> manage(c.request(), c.param(0), management)));
  }

  /**
   * {@code ?deployment=keep|latest|<dp_ id>} (restate-server also takes {@code Keep}/{@code
   * Latest}): the changes of deployment are checked by the partition against the invocation's
   * state.
   */
  private CompletableFuture<HttpResponse> resume(HttpRequest req, String idText) {
    Optional<HttpResponse> bad = invalidId(idText);
    if (bad.isPresent()) {
      return done(bad.get());
    }
    InvocationId id = InvocationId.parse(idText);
    String deployment = deploymentChoice(req.query().get("deployment"));
    if (deployment != null && deployment.startsWith("!")) {
      return done(
          AdminResponses.error(
              400,
              "The query parameter 'deployment' is invalid. Reason: " + deployment.substring(1)));
    }
    boolean known = deployment == null || registry.deployment(deployment).isPresent();
    return dispatcher
        .resume(id, deployment, known)
        .handle(
            (status, err) ->
                err == null ? HttpResponse.of(status) : failure(Failures.unwrap(err), idText));
  }

  /**
   * {@code restart-as-new}: from the start ({@code ?from=0}, the default); a journal prefix ({@code
   * from} > 0) is not supported here and answers 501.
   */
  private CompletableFuture<HttpResponse> restartAsNew(HttpRequest req, String idText) {
    String from = req.query().get("from");
    long fromIndex = 0;
    if (from != null) {
      try {
        fromIndex = Long.parseUnsignedLong(from);
        if (fromIndex > 0xFFFF_FFFFL) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        return done(
            HttpResponse.text(
                400,
                "Failed to deserialize query string: from: "
                    + (from.isEmpty()
                        ? "cannot parse integer from empty string"
                        : from.chars().allMatch(Character::isDigit)
                            ? "number too large to fit in target type"
                            : "invalid digit found in string")));
      }
    }
    Optional<HttpResponse> bad = invalidId(idText);
    if (bad.isPresent()) {
      return done(bad.get());
    }
    if (fromIndex > 0) {
      return done(
          AdminResponses.error(
              501,
              "Restarting the invocation '"
                  + idText
                  + "' from a journal prefix (from > 0) is not supported by this server."));
    }
    InvocationId id = InvocationId.parse(idText);
    InvocationId newId = new InvocationId(id.partitionKey(), Ulid.generate(clock.millis(), random));
    return dispatcher
        .restartAsNew(id, newId)
        .handle(
            (v, err) -> {
              if (err != null) {
                return failure(Failures.unwrap(err), idText);
              }
              ObjectNode o = AdminViews.JSON.createObjectNode();
              o.put("new_invocation_id", newId.toString());
              return AdminResponses.json(200, o);
            });
  }

  /**
   * The {@code deployment} query parameter as the dispatcher takes it: null (absent or keep),
   * {@code "latest"}, a well-formed deployment id, or {@code "!"} + restate-server's reason why it
   * is not one.
   */
  static String deploymentChoice(String text) {
    if (text == null || text.equals("keep") || text.equals("Keep")) {
      return null;
    }
    if (text.equals("latest") || text.equals("Latest")) {
      return "latest";
    }
    return DeploymentIds.invalidReason(text).map(r -> "!" + r).orElse(text);
  }

  /** pause, purge, purge-journal. */
  private CompletableFuture<HttpResponse> manage(
      HttpRequest req, String idText, Dispatcher.Management op) {
    Optional<HttpResponse> bad = invalidId(idText);
    if (bad.isPresent()) {
      return done(bad.get());
    }
    InvocationId id = InvocationId.parse(idText);
    return dispatcher
        .manage(id, op)
        .handle(
            (status, err) ->
                err == null ? HttpResponse.of(status) : failure(Failures.unwrap(err), idText));
  }

  /**
   * The deprecated {@code DELETE /invocations/{id}?mode=cancel|kill|purge} (default cancel): as
   * restate-server 1.7.12, 202 once the request is submitted, whatever the invocation's state.
   */
  private CompletableFuture<HttpResponse> delete(HttpRequest req, String idText) {
    String mode = req.query().getOrDefault("mode", "cancel");
    if (!List.of("Cancel", "cancel", "Kill", "kill", "Purge", "purge").contains(mode)) {
      return done(
          HttpResponse.text(
              400,
              "Failed to deserialize query string: mode: unknown variant `"
                  + mode
                  + "`, expected one of `Cancel`, `cancel`, `Kill`, `kill`, `Purge`, `purge`"));
    }
    Optional<HttpResponse> bad = invalidId(idText);
    if (bad.isPresent()) {
      return done(bad.get());
    }
    InvocationId id = InvocationId.parse(idText);
    CompletableFuture<?> f =
        switch (mode.toLowerCase(Locale.ROOT)) {
          case "kill" -> dispatcher.kill(id);
          case "purge" -> dispatcher.manage(id, Dispatcher.Management.PURGE);
          default -> dispatcher.cancel(id);
        };
    return f.handle(
        (v, err) -> {
          Throwable t = Failures.unwrap(err);
          // unknown, completed or not-yet-started invocations are still "accepted"; only a failure
          // to
          // submit is an error
          return t == null || t instanceof DispatchException
              ? HttpResponse.of(202)
              : AdminResponses.error(500, String.valueOf(t.getMessage()));
        });
  }

  private CompletableFuture<HttpResponse> terminate(String idText, boolean kill) {
    Optional<HttpResponse> bad = invalidId(idText);
    if (bad.isPresent()) {
      return done(bad.get());
    }
    InvocationId id = InvocationId.parse(idText);
    // restate-server: kill → 200; cancel → 200 when done at once (not started yet), else 202
    CompletableFuture<Boolean> f =
        kill ? dispatcher.kill(id).thenApply(v -> true) : dispatcher.cancel(id);
    return f.handle(
        (done, err) ->
            err == null
                ? HttpResponse.of(Boolean.TRUE.equals(done) ? 200 : 202)
                : failure(Failures.unwrap(err), idText));
  }

  /**
   * A 400 naming restate-server's reason when {@code idText} is not an invocation id, else empty.
   */
  private static Optional<HttpResponse> invalidId(String idText) {
    return InvocationId.invalidReason(idText)
        .map(
            reason ->
                AdminResponses.error(
                    400, "The request field 'invocation_id' is invalid. Reason: " + reason));
  }

  /**
   * The failure of a dispatch on invocation {@code idText}: its status and message, 404 worded as
   * restate.
   */
  private static HttpResponse failure(Throwable t, String idText) {
    if (t instanceof DispatchException de) {
      String msg =
          de.status() == 404
              ? "The requested invocation '" + idText + "' does not exist"
              : de.getMessage();
      return AdminResponses.error(de.status(), msg);
    }
    return AdminResponses.error(500, String.valueOf(t.getMessage()));
  }
}
