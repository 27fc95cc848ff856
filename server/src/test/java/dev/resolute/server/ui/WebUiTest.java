package dev.resolute.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebUiTest {
  private final WebUi ui = new WebUi();

  private HttpResponse get(String uri) {
    return get(uri, List.of());
  }

  private HttpResponse get(String uri, List<Map.Entry<String, String>> headers) {
    return ui.handle(new HttpRequest("GET", uri, headers, new byte[0]));
  }

  private static String header(HttpResponse r, String name) {
    return r.headers().stream()
        .filter(h -> h.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  @Test
  void theRootIsTheIndexPage() {
    HttpResponse r = get("/ui/");
    assertThat(r.status()).isEqualTo(200);
    assertThat(header(r, "content-type")).isEqualTo("text/html; charset=utf-8");
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .contains("<script type=\"module\" src=\"/ui/app.js\">");
    assertThat(get("/ui/index.html").body()).isEqualTo(r.body());
  }

  @Test
  void eachFileHasItsContentTypeAndCachingHeaders() {
    HttpResponse js = get("/ui/app.js");
    assertThat(js.status()).isEqualTo(200);
    assertThat(header(js, "content-type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(header(js, "cache-control")).isEqualTo("no-cache");
    assertThat(header(js, "x-content-type-options")).isEqualTo("nosniff");
    assertThat(header(js, "etag")).matches("\"[0-9a-f]{24}\"");
    HttpResponse css = get("/ui/app.css?v=1");
    assertThat(css.status()).isEqualTo(200);
    assertThat(header(css, "content-type")).isEqualTo("text/css; charset=utf-8");
  }

  @Test
  void anUnchangedFileIsRevalidatedWith304() {
    String etag = header(get("/ui/app.js"), "etag");
    HttpResponse r = get("/ui/app.js", List.of(Map.entry("if-none-match", etag)));
    assertThat(r.status()).isEqualTo(304);
    assertThat(r.body()).isEmpty();
    assertThat(get("/ui/app.js", List.of(Map.entry("if-none-match", "\"other\""))).status())
        .isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/ui/nosuch.js",
        "/ui/app.JS",
        "/ui/app.class",
        "/ui/WebUi.class",
        "/ui/../ui/app.js",
        "/ui/..%2fapp.js",
        "/ui/%2e%2e/admin/AdminApi.class",
        "/ui/sub/app.js",
        "/ui/..\\app.js",
        "/ui/.app.js",
        "/ui//etc/passwd",
        "/ui/%61pp.js",
        "/ui/app.js/"
      })
  void anythingButAShippedFileIs404(String uri) {
    HttpResponse r = get(uri);
    assertThat(r.status()).as(uri).isEqualTo(404);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void onlyGetAndHeadAreAnswered() {
    assertThat(ui.handle(new HttpRequest("HEAD", "/ui/", List.of(), new byte[0])).status())
        .isEqualTo(200);
    HttpResponse post = ui.handle(new HttpRequest("POST", "/ui/app.js", List.of(), new byte[0]));
    assertThat(post.status()).isEqualTo(405);
    assertThat(header(post, "allow")).isEqualTo("GET,HEAD");
  }
}
