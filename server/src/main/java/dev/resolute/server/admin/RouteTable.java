package dev.resolute.server.admin;

import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Admin routes by resource: a path pattern (literal segments and {@code {name}} parameters) with
 * the handler of each method it answers, as restate-server 1.7.12's router answers them. The first
 * pattern that matches the path decides: a method it does not list is 405 with an {@code allow}
 * header naming the methods it does list (in the order they were added, {@code HEAD} right after
 * {@code GET}); a path no pattern matches is 404 (both with an empty body). {@code HEAD} is
 * answered by the {@code GET} handler (the HTTP layer drops the body and keeps its length).
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

  /** One method on one path pattern, as listed by {@link #operations()}. */
  record Operation(String method, String path) {}

  private record Route(String path, String[] pattern, Map<String, Handler> methods) {
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

    String allow() {
      List<String> names = new ArrayList<>();
      for (String m : methods.keySet()) {
        names.add(m);
        if (m.equals("GET")) {
          names.add("HEAD");
        }
      }
      return String.join(",", names);
    }
  }

  private final List<Route> routes = new ArrayList<>();

  /** Adds {@code method path → handler}; methods of the same path accumulate on one route. */
  RouteTable on(String method, String path, Handler handler) {
    String[] pattern = path.equals("/") ? new String[0] : path.substring(1).split("/");
    for (Route r : routes) {
      if (Arrays.equals(r.pattern, pattern)) {
        r.methods.put(method, handler);
        return this;
      }
    }
    Map<String, Handler> methods = new LinkedHashMap<>();
    methods.put(method, handler);
    routes.add(new Route(path, pattern, methods));
    return this;
  }

  /** Every (method, path pattern) this table answers, in the order they were added. */
  List<Operation> operations() {
    List<Operation> out = new ArrayList<>();
    for (Route r : routes) {
      for (String m : r.methods.keySet()) {
        out.add(new Operation(m, r.path));
      }
    }
    return out;
  }

  CompletableFuture<HttpResponse> dispatch(
      HttpRequest request, List<String> segments, int apiVersion) {
    for (Route r : routes) {
      List<String> params = r.match(segments);
      if (params != null) {
        String method = request.method();
        Handler h = r.methods.get(method);
        if (h == null && method.equals("HEAD")) {
          h = r.methods.get("GET");
        }
        return h == null
            ? AdminResponses.done(HttpResponse.of(405).withHeader("allow", r.allow()))
            : h.handle(new Call(request, params, apiVersion));
      }
    }
    return AdminResponses.done(HttpResponse.of(404));
  }
}
