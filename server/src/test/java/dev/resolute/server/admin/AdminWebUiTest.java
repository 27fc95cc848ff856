package dev.resolute.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resolute.server.http.HttpRequest;
import dev.resolute.server.http.HttpResponse;
import dev.resolute.server.schema.SchemaRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The web UI's routes on the admin port, served and disabled ({@code admin.disable-web-ui}). */
class AdminWebUiTest {
  private static AdminApi api() {
    return new AdminApi(
        SchemaRegistry.inMemory(),
        null,
        null,
        "test",
        "http://127.0.0.1:8080/",
        "localcluster",
        Runnable::run);
  }

  private static HttpResponse get(AdminApi api, String uri) {
    return api.handle(new HttpRequest("GET", uri, List.of(), new byte[0])).join();
  }

  @Test
  void servedByDefault() {
    AdminApi api = api();
    assertThat(get(api, "/").status()).isEqualTo(308);
    assertThat(get(api, "/ui").status()).isEqualTo(308);
    HttpResponse index = get(api, "/ui/");
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.headers()).anyMatch(h -> h.getValue().startsWith("text/html"));
    assertThat(get(api, "/ui/app.js").status()).isEqualTo(200);
    assertThat(get(api, "/ui/nosuch.js").status()).isEqualTo(404);
    // the rest of the API is untouched
    assertThat(get(api, "/health").status()).isEqualTo(200);
  }

  /** As restate-server 1.7.12 with disable-web-ui = true: all of them 404 with an empty body. */
  @Test
  void disabledAnswers404() {
    AdminApi api = api().withWebUi(false);
    for (String uri : List.of("/", "/ui", "/ui/", "/ui/index.html", "/ui/app.js")) {
      HttpResponse r = get(api, uri);
      assertThat(r.status()).as(uri).isEqualTo(404);
      assertThat(r.body()).as(uri).isEmpty();
    }
    assertThat(get(api, "/health").status()).isEqualTo(200);
  }
}
