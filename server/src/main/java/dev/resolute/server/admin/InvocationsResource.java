package dev.resolute.server.admin;

import static dev.resolute.server.admin.AdminResponses.done;

import dev.resolute.protocol.id.InvocationId;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.Dispatcher;
import dev.resolute.server.api.Failures;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.schema.SchemaRegistry;
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
          "resume",
          Dispatcher.Management.RESUME,
          "pause",
          Dispatcher.Management.PAUSE,
          "purge",
          Dispatcher.Management.PURGE,
          "purge-journal",
          Dispatcher.Management.PURGE_JOURNAL);

  private final SchemaRegistry registry;
  private final Dispatcher dispatcher;

  InvocationsResource(SchemaRegistry registry, Dispatcher dispatcher) {
    this.registry = registry;
    this.dispatcher = dispatcher;
  }

  void addTo(RouteTable routes) {
    routes
        .on("DELETE", "/invocations/{id}", c -> delete(c.request(), c.param(0)))
        .on("PATCH", "/invocations/{id}/cancel", c -> terminate(c.param(0), false))
        .on("PATCH", "/invocations/{id}/kill", c -> terminate(c.param(0), true));
    MANAGEMENT.forEach(
        (op, management) ->
            routes.on(
                "PATCH",
                "/invocations/{id}/" + op,
                c -> manage(c.request(), c.param(0), management)));
  }

  /**
   * resume (optionally {@code ?deployment=keep|latest|<current dp_ id>}), pause, purge,
   * purge-journal.
   */
  private CompletableFuture<HttpResponse> manage(
      HttpRequest req, String idText, Dispatcher.Management op) {
    Optional<HttpResponse> bad = invalidId(idText);
    if (bad.isPresent()) {
      return done(bad.get());
    }
    InvocationId id = InvocationId.parse(idText);
    String deployment = req.query().get("deployment");
    if (op == Dispatcher.Management.RESUME
        && deployment != null
        && !deployment.equals("keep")
        && !deployment.equals("latest")) {
      // invocations always run on the latest deployment of their service here, so only that one can
      // be named
      String reason = null;
      if (deployment.startsWith("dp_")
          && (deployment.length() < 4 || deployment.charAt(3) != '1')) {
        reason = "unrecognized codec version"; // restate-server's id parser, first check
      } else if (registry.deployments().stream().noneMatch(d -> d.id().equals(deployment))) {
        reason = "unknown deployment '" + deployment + "'";
      }
      if (reason != null) {
        return done(
            AdminResponses.error(
                400, "The query parameter 'deployment' is invalid. Reason: " + reason));
      }
    }
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
