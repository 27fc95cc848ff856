package dev.resolute.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private final RouteTable table =
      new RouteTable()
          .on("GET", "/services", c -> answer(200, "list"))
          .on("GET", "/services/{name}/handlers", c -> answer(200, "handlers of " + c.param(0)))
          .on("GET", "/services/{name}/{other}", c -> answer(404, "other " + c.param(1)))
          .on(
              "PATCH",
              "/invocations/{id}/cancel",
              c -> answer(200, "cancel " + c.param(0) + " v" + c.apiVersion()));

  private static CompletableFuture<HttpResponse> answer(int status, String body) {
    return CompletableFuture.completedFuture(HttpResponse.text(status, body));
  }

  private HttpResponse call(String method, String... segments) {
    return table
        .dispatch(new HttpRequest(method, "/", List.of(), new byte[0]), List.of(segments), 3)
        .join();
  }

  @Test
  void theFirstMatchingPatternDecidesAndPassesItsParameters() {
    assertThat(new String(call("GET", "services", "Foo", "handlers").body()))
        .isEqualTo("handlers of Foo");
    assertThat(new String(call("GET", "services", "Foo", "state").body())).isEqualTo("other state");
    assertThat(new String(call("PATCH", "invocations", "inv_1", "cancel").body()))
        .isEqualTo("cancel inv_1 v3");
  }

  @Test
  void aKnownPathWithAnotherMethodIs405WithAnEmptyBody() {
    HttpResponse r = call("POST", "services", "Foo", "handlers");
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.body()).isEmpty();
    assertThat(call("DELETE", "services").status()).isEqualTo(405);
    assertThat(call("GET", "invocations", "inv_1", "cancel").status()).isEqualTo(405);
  }

  @Test
  void a405NamesTheMethodsOfThePathWithHeadAfterGet() {
    RouteTable t =
        new RouteTable()
            .on("GET", "/deployments", c -> answer(200, "list"))
            .on("POST", "/deployments", c -> answer(201, "made"))
            .on("POST", "/things", c -> answer(200, "post"))
            .on("GET", "/things", c -> answer(200, "get"))
            .on("PATCH", "/invocations/{id}/cancel", c -> answer(200, "x"));
    HttpResponse r =
        t.dispatch(new HttpRequest("PUT", "/", List.of(), new byte[0]), List.of("deployments"), 4)
            .join();
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.headers()).contains(java.util.Map.entry("allow", "GET,HEAD,POST"));
    r =
        t.dispatch(new HttpRequest("PUT", "/", List.of(), new byte[0]), List.of("things"), 4)
            .join();
    assertThat(r.headers()).contains(java.util.Map.entry("allow", "POST,GET,HEAD"));
    r =
        t.dispatch(
                new HttpRequest("GET", "/", List.of(), new byte[0]),
                List.of("invocations", "i", "cancel"),
                4)
            .join();
    assertThat(r.headers()).contains(java.util.Map.entry("allow", "PATCH"));
  }

  @Test
  void headIsAnsweredByGet() {
    HttpResponse r = call("HEAD", "services");
    assertThat(r.status()).isEqualTo(200);
    assertThat(new String(r.body())).isEqualTo("list");
  }

  @Test
  void theRootPathIsARoute() {
    RouteTable t = new RouteTable().on("GET", "/", c -> answer(308, "ui"));
    assertThat(
            t.dispatch(new HttpRequest("GET", "/", List.of(), new byte[0]), List.of(), 4)
                .join()
                .status())
        .isEqualTo(308);
    assertThat(t.operations()).containsExactly(new RouteTable.Operation("GET", "/"));
  }

  @Test
  void anUnknownPathIs404WithAnEmptyBody() {
    HttpResponse r = call("GET", "nope");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).isEmpty();
    assertThat(call("GET").status()).isEqualTo(404);
    assertThat(call("PATCH", "invocations", "inv_1", "cancel", "x").status()).isEqualTo(404);
    assertThat(call("PATCH", "invocations", "inv_1", "foo").status()).isEqualTo(404);
  }
}
