package dev.resolute.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.resolute.server.api.DispatchException;
import dev.resolute.server.api.Failures;
import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.limits.Rule;
import dev.resolute.server.limits.RuleBook;
import dev.resolute.server.limits.RuleJson;
import dev.resolute.server.limits.RuleRecords;
import dev.resolute.server.partition.RuleLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code PUT /limits/rules} and {@code POST /limits/rules/bulk-delete}, shaped like restate-server
 * 1.7.12 (200 with the rules or the removed patterns, 409 {@code {message, restate_code}} for a
 * failed precondition, 415/400/422 for a body that is not an array of the right shape). There is no
 * GET, as in restate-server: the rules are read through SQL ({@code sys_rules}), which is what the
 * official CLI's {@code restate rules} does.
 *
 * <p>Batches run one at a time (each waits for the previous one's answer), so the book read after a
 * batch applied — to answer with its rules — is the one that batch left.
 */
final class LimitsResource {
  private final RuleLog log;
  private final Supplier<RuleBook> book;
  private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

  /**
   * @param book reads the applied rule book (partition 0's; every partition holds the same)
   */
  LimitsResource(RuleLog log, Supplier<RuleBook> book) {
    this.log = log;
    this.book = book;
  }

  void addTo(RouteTable routes) {
    routes
        .on("PUT", "/limits/rules", c -> serialized(() -> upsert(c.request())))
        .on("POST", "/limits/rules/bulk-delete", c -> serialized(() -> delete(c.request())));
  }

  private synchronized CompletableFuture<HttpResponse> serialized(
      Supplier<CompletableFuture<HttpResponse>> batch) {
    CompletableFuture<HttpResponse> next =
        tail.handle((x, e) -> null).thenCompose(x -> batch.get());
    tail = next;
    return next;
  }

  private CompletableFuture<HttpResponse> upsert(HttpRequest req) {
    List<RuleBook.Upsert> batch;
    try {
      JsonRequests.requireJson(req);
      batch = RuleJson.upserts(req.body());
    } catch (JsonRequests.Refused e) {
      return AdminResponses.done(e.response());
    } catch (RuleJson.SyntaxException e) {
      return AdminResponses.done(JsonRequests.syntax(e.getMessage()).response());
    } catch (RuleJson.ShapeException e) {
      return AdminResponses.done(JsonRequests.shape(e.getMessage()).response());
    }
    return log.apply(RuleRecords.upserts(batch, 0))
        .handle(
            (ok, err) -> {
              if (err != null) {
                return failure(err);
              }
              RuleBook after = book.get();
              List<Rule> rules = new ArrayList<>();
              for (RuleBook.Upsert u : batch) {
                after.get(u.pattern().toString()).ifPresent(rules::add);
              }
              return AdminResponses.json(200, RuleJson.responses(rules));
            });
  }

  private CompletableFuture<HttpResponse> delete(HttpRequest req) {
    List<RuleBook.Delete> batch;
    try {
      JsonRequests.requireJson(req);
      batch = RuleJson.deletes(req.body());
    } catch (JsonRequests.Refused e) {
      return AdminResponses.done(e.response());
    } catch (RuleJson.SyntaxException e) {
      return AdminResponses.done(JsonRequests.syntax(e.getMessage()).response());
    } catch (RuleJson.ShapeException e) {
      return AdminResponses.done(JsonRequests.shape(e.getMessage()).response());
    }
    RuleBook before = book.get();
    return log.apply(RuleRecords.deletes(batch, 0))
        .handle(
            (ok, err) -> {
              if (err != null) {
                return failure(err);
              }
              RuleBook after = book.get();
              ArrayNode removed = AdminViews.JSON.createArrayNode();
              List<String> seen = new ArrayList<>();
              for (RuleBook.Delete d : batch) {
                String p = d.pattern().toString();
                if (!seen.contains(p) && before.get(p).isPresent() && after.get(p).isEmpty()) {
                  removed.add(p);
                  seen.add(p);
                }
              }
              return AdminResponses.json(200, removed);
            });
  }

  private static HttpResponse failure(Throwable err) {
    Throwable t = Failures.unwrap(err);
    if (t instanceof DispatchException d) {
      return AdminResponses.error(d.status(), d.getMessage());
    }
    return AdminResponses.error(500, String.valueOf(t.getMessage()));
  }
}
