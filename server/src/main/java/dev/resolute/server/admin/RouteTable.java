package dev.resolute.server.admin;

import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Admin routes by resource: a path pattern (literal segments and {@code {name}} parameters) with
 * the handler of each method it answers. The first pattern that matches the path decides: a method
 * it does not list is 405; a path no pattern matches is 404 (both with an empty body).
 */
final class RouteTable {
  /** A matched request: the parameters in pattern order and the admin API version asked for. */
  record Call(HttpRequest request, List<String> params, int apiVersion) {
    String param(int i) {
      return params.get(i);
    }
  }

  @FunctionalInterface
  interface Handler {
    CompletableFuture<HttpResponse> handle(Call call);
  }

  private record Route(String[] pattern, Map<String, Handler> methods) {
    List<String> match(List<String> segments) {
      if (segments.size() != pattern.length) {
        return null;
      }
      List<String> params = new ArrayList<>();
      for (int i = 0; i < pattern.length; i++) {
        if (pattern[i].startsWith("{")) {
          params.add(segments.get(i));
        } else if (!pattern[i].equals(segments.get(i))) {
          return null;
        }
      }
      return params;
    }
  }

  private final List<Route> routes = new ArrayList<>();

  /** Adds {@code method path → handler}; methods of the same path accumulate on one route. */
  RouteTable on(String method, String path, Handler handler) {
    String[] pattern = path.substring(1).split("/");
    for (Route r : routes) {
      if (java.util.Arrays.equals(r.pattern, pattern)) {
        r.methods.put(method, handler);
        return this;
      }
    }
    Map<String, Handler> methods = new LinkedHashMap<>();
    methods.put(method, handler);
    routes.add(new Route(pattern, methods));
    return this;
  }

  CompletableFuture<HttpResponse> dispatch(
      HttpRequest request, List<String> segments, int apiVersion) {
    for (Route r : routes) {
      List<String> params = r.match(segments);
      if (params != null) {
        Handler h = r.methods.get(request.method());
        return h == null
            ? AdminResponses.done(HttpResponse.of(405))
            : h.handle(new Call(request, params, apiVersion));
      }
    }
    return AdminResponses.done(HttpResponse.of(404));
  }
}
